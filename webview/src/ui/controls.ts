/**
 * The deployment controls. Each change asks for a field edit; the displayed values always come
 * back from the next analysis (the document is the source of truth). The batch slider is
 * logarithmic (1 … 1024) and throttled while dragged; count fields post when committed.
 */
import type { DocumentAnalysis } from '../../../language-server/src/protocol/lsp';
import {
  CONTROL_FIELDS,
  NUMBER_FORMAT_CHOICES,
  controlValue,
  formatChoiceLabel,
  isControlEditable,
  parsePositiveInteger,
  type ControlField,
  type ControlId,
  type FieldPath,
} from '../fields';
import { throttleTrailing, type Throttled, type Timers } from '../throttle';
import { BATCH_SLIDER_STEPS, batchFromSlider, sliderFromBatch } from '../batchSlider';
import { el, uniqueId } from './dom';
import { undoRedoOf } from '../undoKeys';
import type { EditGesture } from '../../../language-server/src/protocol/webview';

export interface ControlsOptions {
  requestEdit(path: FieldPath, value: unknown, gesture?: EditGesture): void;
  /** Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y in a field: undo or redo in the document, not in the field. */
  undoRedo(action: 'undo' | 'redo'): void;
  timers: Timers;
  /** Slider drags post at most once per this interval (plus the final value on release). */
  dragIntervalMs: number;
}

interface Control {
  field: ControlField;
  inputs: (HTMLInputElement | HTMLSelectElement)[];
  /** Shows a value from the analysis, unless the user is in the middle of changing it. */
  show(value: unknown): void;
  error?: HTMLElement;
}

export class Controls {
  readonly element: HTMLFormElement;
  private readonly controls = new Map<ControlId, Control>();
  private readonly dragging = new Set<Element>();
  private readonly editing = new Set<Element>();
  private readonly throttledBatch: Throttled<[number]>;
  /** The slider drag in progress: its edits make one undo step. */
  private dragGesture: number | undefined;
  private gestures = 0;

  constructor(private readonly options: ControlsOptions) {
    this.throttledBatch = throttleTrailing(
      (batch: number) => this.edit('batchSize', batch, this.dragGesture === undefined ? undefined : { id: this.dragGesture, last: false }),
      options.dragIntervalMs,
      options.timers,
    );
    this.element = el('form', { className: 'controls', 'aria-label': 'Deployment settings' });
    this.element.addEventListener('submit', (event) => event.preventDefault());
    // The document is the one truth: undo in a field would change the field alone and write the
    // old value back later as a new edit. Undo and redo go to the document instead.
    this.element.addEventListener('keydown', (event) => {
      const action = undoRedoOf(event);
      if (!action) return;
      event.preventDefault();
      if (event.target instanceof Element) this.editing.delete(event.target);
      this.options.undoRedo(action);
    });
    const byId = (id: ControlId): ControlField => {
      const field = CONTROL_FIELDS.find((f) => f.id === id);
      if (!field) throw new Error(`unknown control ${id}`);
      return field;
    };
    this.element.append(
      el('fieldset', {}, [el('legend', { text: 'Workload' }), this.batchControl(byId('batchSize')), this.countControl(byId('promptTokens')), this.countControl(byId('outputTokens'))]),
      el('fieldset', {}, [el('legend', { text: 'Number formats' }), this.formatControl(byId('weightFormat')), this.formatControl(byId('activationFormat')), this.formatControl(byId('kvCacheFormat'))]),
      el('fieldset', {}, [el('legend', { text: 'Execution' }), this.checkboxControl(byId('flashAttention')), this.countControl(byId('tensorParallel'))]),
    );
  }

  /** Shows the analysis' values and enables the fields the server lets the panel edit. */
  update(analysis: DocumentAnalysis | undefined): void {
    for (const control of this.controls.values()) {
      const editable = analysis !== undefined && isControlEditable(analysis, control.field);
      for (const input of control.inputs) input.disabled = !editable;
      if (analysis) control.show(controlValue(analysis, control.field));
      if (control.error) control.error.textContent = '';
      for (const input of control.inputs) input.removeAttribute('aria-invalid');
    }
  }

  private edit(id: ControlId, value: unknown, gesture?: EditGesture): void {
    const control = this.controls.get(id);
    if (control) this.options.requestEdit(control.field.path, value, gesture);
  }

  private busy(input: Element): boolean {
    return this.dragging.has(input) || this.editing.has(input);
  }

  private batchControl(field: ControlField): HTMLElement {
    const sliderId = uniqueId('batch-slider');
    const numberId = uniqueId('batch-number');
    const slider = el('input', { type: 'range', id: sliderId, min: 0, max: BATCH_SLIDER_STEPS, step: 1, 'data-control': 'batchSizeSlider' });
    const number = el('input', { type: 'number', id: numberId, min: 1, step: 1, inputmode: 'numeric', 'data-control': 'batchSize' });
    const error = el('span', { className: 'field-error', role: 'alert' });
    const setSliderText = (batch: number) => slider.setAttribute('aria-valuetext', `batch size ${batch}`);

    slider.addEventListener('pointerdown', () => {
      this.dragging.add(slider);
      this.gestures += 1;
      this.dragGesture = this.gestures;
    });
    const endDrag = () => {
      if (!this.dragging.delete(slider)) return;
      const gesture = this.dragGesture;
      this.dragGesture = undefined;
      this.throttledBatch.cancel();
      // The final value closes the drag's undo step.
      this.edit('batchSize', batchFromSlider(Number(slider.value)), gesture === undefined ? undefined : { id: gesture, last: true });
    };
    slider.addEventListener('pointerup', endDrag);
    slider.addEventListener('pointercancel', endDrag);
    slider.addEventListener('input', () => {
      const batch = batchFromSlider(Number(slider.value));
      number.value = String(batch);
      setSliderText(batch);
      this.throttledBatch(batch);
    });
    slider.addEventListener('change', () => this.throttledBatch.flush());
    this.watchTyping(number);
    number.addEventListener('change', () => {
      this.editing.delete(number);
      const batch = parsePositiveInteger(number.value);
      if (batch === undefined) {
        error.textContent = 'Batch size must be a whole number of at least 1.';
        number.setAttribute('aria-invalid', 'true');
        return;
      }
      error.textContent = '';
      number.removeAttribute('aria-invalid');
      slider.value = String(sliderFromBatch(batch));
      setSliderText(batch);
      this.edit('batchSize', batch);
    });

    this.controls.set(field.id, {
      field,
      inputs: [slider, number],
      error,
      show: (value) => {
        const batch = typeof value === 'number' ? value : 1;
        if (!this.busy(slider)) {
          slider.value = String(sliderFromBatch(batch));
          setSliderText(batch);
        }
        if (!this.busy(number) && !this.busy(slider)) number.value = String(batch);
      },
    });
    return el('div', { className: 'field field-batch' }, [
      el('label', { for: numberId, text: field.label }),
      el('div', { className: 'slider-row' }, [slider, number]),
      el('label', { for: sliderId, className: 'visually-hidden', text: `${field.label} (logarithmic slider)` }),
      error,
    ]);
  }

  private watchTyping(input: HTMLInputElement): void {
    input.addEventListener('input', () => this.editing.add(input));
    input.addEventListener('blur', () => this.editing.delete(input));
  }

  private countControl(field: ControlField): HTMLElement {
    const id = uniqueId(field.id);
    const input = el('input', { type: 'number', id, min: 1, step: 1, inputmode: 'numeric', 'data-control': field.id });
    const error = el('span', { className: 'field-error', role: 'alert' });
    this.watchTyping(input);
    input.addEventListener('change', () => {
      this.editing.delete(input);
      const value = parsePositiveInteger(input.value);
      if (value === undefined) {
        error.textContent = `${field.label} must be a whole number of at least 1.`;
        input.setAttribute('aria-invalid', 'true');
        return;
      }
      error.textContent = '';
      input.removeAttribute('aria-invalid');
      this.edit(field.id, value);
    });
    this.controls.set(field.id, {
      field,
      inputs: [input],
      error,
      show: (value) => {
        if (!this.busy(input)) input.value = typeof value === 'number' ? String(value) : '';
      },
    });
    return el('div', { className: 'field' }, [el('label', { for: id, text: field.label }), input, error]);
  }

  private formatControl(field: ControlField): HTMLElement {
    const id = uniqueId(field.id);
    const select = el('select', { id, 'data-control': field.id });
    // Option values are strings; remember which value each stands for (bit counts stay numbers).
    let valuesByOption = new Map<string, unknown>();
    const fill = (current: unknown) => {
      const choices: unknown[] = [...NUMBER_FORMAT_CHOICES];
      if (!choices.includes(current) && current !== undefined) choices.push(current);
      valuesByOption = new Map(choices.map((choice) => [JSON.stringify(choice), choice]));
      select.replaceChildren(...choices.map((choice) => el('option', { value: JSON.stringify(choice), text: formatChoiceLabel(choice) })));
      select.value = JSON.stringify(current);
    };
    fill('fp16');
    select.addEventListener('change', () => {
      const value = valuesByOption.get(select.value);
      if (value !== undefined) this.edit(field.id, value);
    });
    this.controls.set(field.id, { field, inputs: [select], show: fill });
    return el('div', { className: 'field' }, [el('label', { for: id, text: field.label }), select]);
  }

  private checkboxControl(field: ControlField): HTMLElement {
    const id = uniqueId(field.id);
    const box = el('input', { type: 'checkbox', id, 'data-control': field.id });
    box.addEventListener('change', () => this.edit(field.id, box.checked));
    this.controls.set(field.id, {
      field,
      inputs: [box],
      show: (value) => {
        box.checked = value === true;
      },
    });
    return el('div', { className: 'field field-checkbox' }, [box, el('label', { for: id, text: field.label })]);
  }
}

