// Small DOM helpers: building elements without innerHTML (nothing from the API is ever parsed as HTML).

type Child = Node | string | number | null | undefined | false;
type Attributes = Record<string, string | number | boolean | null | undefined>;

/** An element with attributes (`class`, `title`, `data-*`, …; false/null/undefined leave one out) and children. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's children. */
export function fill(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** A link that opens in a new tab (the Temporal Web UI). */
export function link(href: string | null | undefined, text: string): HTMLElement {
  if (!href) return el('span', {}, text);
  return el('a', { href, target: '_blank', rel: 'noopener' }, text);
}

/** A cell whose text is an age, kept current by `tickAges` (see main.ts). */
export function ageSpan(since: number | null | undefined, text: string): HTMLElement {
  return el(
    'span',
    { 'data-since': since ?? null, title: since ? new Date(since).toISOString() : null },
    text,
  );
}

/** A row of `simpleTable` with attributes of its own, or a click (a row that opens something). */
export interface Row {
  cells: Child[];
  attributes?: Attributes;
  onOpen?: () => void;
}

/** A table: headers, rows of cells (strings or nodes); the `numeric` columns are right-aligned. */
export function simpleTable(
  headers: string[],
  rows: Array<Child[] | Row>,
  numeric: readonly number[] = [],
  attributes: Attributes = {},
): HTMLTableElement {
  const cls = (i: number) => (numeric.includes(i) ? 'num' : null);
  const tr = (row: Child[] | Row) => {
    const { cells, attributes: rowAttributes = {}, onOpen } = Array.isArray(row) ? { cells: row } : row;
    const node = el(
      'tr',
      { ...rowAttributes, class: onOpen ? 'openable' : null, tabindex: onOpen ? 0 : null },
      ...cells.map((c, i) => el('td', { class: cls(i) }, c)),
    );
    if (onOpen) onOpenOf(node, onOpen);
    return node;
  };
  return el(
    'table',
    { class: 'data', ...attributes },
    el('thead', {}, el('tr', {}, ...headers.map((h, i) => el('th', { class: cls(i) }, h)))),
    el('tbody', {}, ...rows.map(tr)),
  );
}

/** Opens on a click or on Enter/Space (rows are focusable). */
export function onOpenOf(node: HTMLElement, open: () => void): void {
  node.addEventListener('click', (event) => {
    if ((event.target as Element).closest('a')) return; // a link in the row opens itself
    open();
  });
  node.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      open();
    }
  });
}

/** A line that says there is nothing to show. */
export function empty(text: string): HTMLElement {
  return el('p', { class: 'empty' }, text);
}
