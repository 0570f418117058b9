/**
 * A tab list following the WAI-ARIA tabs pattern: one tab in the tab order, arrow keys, Home and
 * End move between tabs and select them.
 */
import { el } from './dom';

export class Tabs<T extends string> {
  readonly element: HTMLElement;
  private readonly buttons = new Map<T, HTMLButtonElement>();

  constructor(label: string, tabs: readonly { id: T; label: string }[], controls: string, private readonly onSelect: (id: T) => void) {
    this.element = el('div', { role: 'tablist', 'aria-label': label, className: 'tabs' });
    for (const tab of tabs) {
      const button = el('button', { type: 'button', role: 'tab', 'aria-controls': controls, 'data-tab': tab.id, text: tab.label });
      button.addEventListener('click', () => this.onSelect(tab.id));
      button.addEventListener('keydown', (event) => this.onKey(event, tab.id));
      this.buttons.set(tab.id, button);
      this.element.append(button);
    }
  }

  select(id: T): void {
    for (const [tabId, button] of this.buttons) {
      const selected = tabId === id;
      button.setAttribute('aria-selected', String(selected));
      button.tabIndex = selected ? 0 : -1;
    }
  }

  private onKey(event: KeyboardEvent, current: T): void {
    const ids = [...this.buttons.keys()];
    const index = ids.indexOf(current);
    let next: T | undefined;
    if (event.key === 'ArrowRight' || event.key === 'ArrowDown') next = ids[(index + 1) % ids.length];
    else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') next = ids[(index - 1 + ids.length) % ids.length];
    else if (event.key === 'Home') next = ids[0];
    else if (event.key === 'End') next = ids[ids.length - 1];
    if (next === undefined) return;
    event.preventDefault();
    this.onSelect(next);
    this.buttons.get(next)?.focus();
  }
}

/** A small radio group (mode switches): native radios are keyboard accessible as they are. */
export function radioGroup<T extends string>(
  label: string,
  name: string,
  choices: readonly { id: T; label: string }[],
  onSelect: (id: T) => void,
): { element: HTMLElement; select(id: T): void; enable(id: T, enabled: boolean): void } {
  const inputs = new Map<T, HTMLInputElement>();
  const element = el('fieldset', { className: 'radio-group' }, [el('legend', { className: 'visually-hidden', text: label })]);
  for (const choice of choices) {
    const input = el('input', { type: 'radio', name, value: choice.id, 'data-choice': choice.id });
    input.addEventListener('change', () => {
      if (input.checked) onSelect(choice.id);
    });
    inputs.set(choice.id, input);
    element.append(el('label', {}, [input, choice.label]));
  }
  return {
    element,
    select(id) {
      const input = inputs.get(id);
      if (input) input.checked = true;
    },
    enable(id, enabled) {
      const input = inputs.get(id);
      if (input) input.disabled = !enabled;
    },
  };
}
