/**
 * @module
 * The changes to workflow code that histories recorded before them must not
 * see (`patched(id)`): each id is kept until every history without it is
 * gone (then `deprecatePatch`, then removed). test/fixtures/histories holds
 * one generation of recorded histories per change, replayed on every run.
 */

/** 2026-12: the short activities (listing, the store's answers, analysis, the report) run as local activities. */
export const LOCAL_ACTIVITIES = 'local-activities-2026-12';

/**
 * 2026-12: a cycle started without a batch size is scanned in batches of
 * BATCH_SIZE.default (180); before, 64. A later change of that default
 * needs a patch of its own.
 */
export const DEFAULT_BATCH_SIZE = 'default-batch-size-2026-12';
