import type { SearchAttributeType } from '@temporalio/common';
// A CommonJS module: Node's ESM loader sees only its default export.
import proto from '@temporalio/proto';
import { ConfigError } from '../core/errors.js';
import { SCAN_SEARCH_ATTRIBUTES } from '../contract/search-attributes.js';

const IndexedValueType = proto.temporal.api.enums.v1.IndexedValueType;
type IndexedValueType = proto.temporal.api.enums.v1.IndexedValueType;

const INDEXED_TYPES: Record<SearchAttributeType, IndexedValueType> = {
  TEXT: IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  KEYWORD: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  INT: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  DOUBLE: IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  BOOL: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  DATETIME: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  KEYWORD_LIST: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/** `temporal server start-dev` flags that register the cycle's search attributes. */
export function devServerSearchAttributeFlags(): string[] {
  return SCAN_SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=${key.type}`]);
}

interface OperatorService {
  listSearchAttributes(request: {
    namespace: string;
  }): Promise<{ customAttributes?: Record<string, unknown> | null }>;
  addSearchAttributes(request: {
    namespace: string;
    searchAttributes: Record<string, IndexedValueType>;
  }): Promise<unknown>;
}

/**
 * Registers the cycle's search attributes where they are missing (a cycle
 * that sets an unknown one fails its workflow task). Idempotent; returns the
 * names it added. A cluster that refuses (Temporal Cloud registers them with
 * tcld or its UI) fails the worker's start with the command to run.
 */
export async function ensureSearchAttributes(
  operator: OperatorService,
  namespace: string,
): Promise<string[]> {
  const existing = (await operator.listSearchAttributes({ namespace })).customAttributes ?? {};
  const missing = SCAN_SEARCH_ATTRIBUTES.filter((key) => !(key.name in existing));
  if (missing.length === 0) return [];
  try {
    await operator.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((key) => [key.name, INDEXED_TYPES[key.type]])),
    });
  } catch (error) {
    const commands = missing
      .map(
        (key) =>
          `temporal operator search-attribute create --namespace ${namespace} --name ${key.name} --type ${key.type}`,
      )
      .join('; ');
    throw new ConfigError(
      `cannot register search attributes ${missing.map((k) => k.name).join(', ')} (${(error as Error).message.split('\n')[0]}); register them once: ${commands}`,
    );
  }
  return missing.map((key) => key.name);
}
