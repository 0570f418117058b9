/**
 * Small DOM builders. Text always goes in through `textContent` (never markup), and styles only
 * through CSSOM properties, so the page needs no inline scripts or styles under its CSP.
 */
type Attributes = Record<string, string | number | boolean | undefined>;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  children: (Node | string | undefined)[] = [],
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (name === 'text') element.textContent = String(value);
    else if (name === 'className') element.className = String(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === undefined) continue;
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

export function clear(element: Element): void {
  while (element.firstChild) element.removeChild(element.firstChild);
}

let nextIdNumber = 0;
/** Unique ids for label/aria references. */
export function uniqueId(prefix: string): string {
  nextIdNumber += 1;
  return `${prefix}-${nextIdNumber}`;
}
