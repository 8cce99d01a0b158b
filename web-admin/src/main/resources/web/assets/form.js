// The configuration pages' common part: fields bound to config keys, Apply (PUT /api/config with this
// page's values) and Revert, and the server's validation messages shown next to their fields.
import {h, clear, append} from './dom.js';
import {get, put, errorText} from './api.js';

let schemaCache = null;

/** Every setting (key, restart, range, description, default), fetched once. */
export async function schema() {
  if (!schemaCache) {
    const answer = await get('/api/config/schema');
    schemaCache = answer.ok ? Object.fromEntries(answer.body.map(s => [s.key, s])) : {};
  }
  return schemaCache;
}

export function valueAt(config, key) {
  return key.split('.').reduce((node, part) => (node == null ? undefined : node[part]), config);
}

export function setAt(target, key, value) {
  const parts = key.split('.');
  let node = target;
  parts.slice(0, -1).forEach(part => { node = node[part] ??= {}; });
  node[parts[parts.length - 1]] = value;
}

/** A whole number when the text is one; otherwise the text itself, so the server names the problem. */
function numberOrText(text) {
  const trimmed = text.trim();
  return /^-?\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
}

export class ConfigForm {
  constructor(main, title, subtitle) {
    this.main = main;
    this.fields = [];
    this.custom = [];
    this.config = null;
    this.settings = {};
    this.banner = h('div', {id: 'form-errors'});
    this.message = h('span', {class: 'message', id: 'apply-message', role: 'status'});
    this.applyButton = h('button', {type: 'button', class: 'primary', id: 'apply', onclick: () => this.apply()}, 'Apply');
    this.revertButton = h('button', {type: 'button', id: 'revert', onclick: () => this.revert()}, 'Revert');
    this.body = h('div', {class: 'form-body'});
    append(main, h('h1', {}, title), subtitle ? h('p', {class: 'subtitle'}, subtitle) : null, this.banner, this.body,
      h('div', {class: 'actionbar'}, this.applyButton, this.revertButton, this.message));
  }

  /**
   * A field for one key. kind: text | number | checkbox | select | lines (a list, one per line).
   * Returns the row; the input is reachable as row.input and by id "f-<key>".
   */
  field(key, label, kind = 'text', options = {}) {
    const id = 'f-' + key.replace(/[.\[\]]/g, '-');
    let input;
    if (kind === 'checkbox') {
      input = h('input', {type: 'checkbox', id});
    } else if (kind === 'select') {
      input = h('select', {id}, (options.choices || []).map(([value, text]) => h('option', {value}, text)));
    } else if (kind === 'lines') {
      input = h('textarea', {id, rows: 3, spellcheck: 'false'});
    } else {
      input = h('input', {type: 'text', id, inputmode: kind === 'number' ? 'numeric' : undefined, spellcheck: 'false'});
    }
    const error = h('div', {class: 'error', id: id + '-error', role: 'alert'});
    const help = h('div', {class: 'help'});
    const labelEl = h('label', {for: id}, label);
    const row = h('div', {class: 'field', dataset: {key}}, labelEl, h('div', {class: 'control'}, input, help, error));
    const f = {key, kind, input, error, row, help, labelEl, options};
    this.fields.push(f);
    return row;
  }

  /** A part of the page that reads and writes the config itself (tables, checkbox lists). */
  addCustom(part) {
    this.custom.push(part);
  }

  async load() {
    const [answer, settings] = await Promise.all([get('/api/config'), schema()]);
    this.settings = settings;
    if (!answer.ok) {
      clear(this.banner, h('div', {class: 'banner bad'}, errorText(answer)));
      return;
    }
    this.show(answer.body);
  }

  show(config) {
    this.config = config;
    for (const f of this.fields) {
      const value = valueAt(config, f.key);
      if (f.kind === 'checkbox') f.input.checked = Boolean(value);
      else if (f.kind === 'lines') f.input.value = (value || []).join('\n');
      else if (f.kind === 'select' && f.options.boolean) f.input.value = value ? 'true' : 'false';
      else f.input.value = value ?? '';
      const setting = this.settings[f.key];
      if (setting) {
        // The catalog's ranges are written for docs (Markdown backticks); booleans need no range.
        const range = setting.type === 'BOOLEAN' ? '' : (setting.range || '').replace(/`/g, '');
        clear(f.help, f.options.help || range);
        f.help.title = setting.description;
        if (setting.restart) {
          f.labelEl.classList.add('restart');
          append(f.help, h('span', {class: 'restart-note'}, ' · takes effect after a restart'));
        }
      }
      // Keys IT manages centrally are read-only here, with the reason (PUT /api/config refuses them too).
      const managed = (config.managed && config.managed.keys) || [];
      const isManaged = managed.some(m => f.key === m || f.key.startsWith(m + '.') || f.key.startsWith(m + '['));
      f.input.disabled = isManaged;
      f.row.classList.toggle('managed', isManaged);
      if (isManaged) {
        append(f.help, h('div', {class: 'managed-note'}, 'Managed by ' + config.managed.by + '; change it there.'));
      }
      if ((config.pendingRestart || []).includes(f.key)) {
        append(f.help, h('div', {class: 'restart-note'}, 'Changed: restart sipbridge to use the new value.'));
      }
    }
    this.custom.forEach(part => part.show(config));
    this.clearErrors();
  }

  /** This page's values as a partial config. */
  collect() {
    const change = {};
    for (const f of this.fields) {
      let value;
      if (f.kind === 'checkbox') value = f.input.checked;
      else if (f.kind === 'number') value = numberOrText(f.input.value);
      else if (f.kind === 'lines') value = f.input.value.split('\n').map(s => s.trim()).filter(Boolean);
      else if (f.kind === 'select' && f.options.boolean) value = f.input.value === 'true';
      else value = f.input.value;
      setAt(change, f.key, value);
    }
    this.custom.forEach(part => part.collect(change));
    return change;
  }

  clearErrors() {
    clear(this.banner);
    for (const f of this.fields) {
      f.row.classList.remove('invalid');
      clear(f.error);
    }
    this.custom.forEach(part => part.clearErrors && part.clearErrors());
  }

  showErrors(errors) {
    const unplaced = [];
    for (const e of errors) {
      const key = e.key || '';
      const f = this.fields.find(f => key === f.key || key.startsWith(f.key + '[') || key.startsWith(f.key + '.'));
      const part = f ? null : this.custom.find(p => p.showError && p.showError(e));
      if (f) {
        f.row.classList.add('invalid');
        append(f.error, h('div', {}, key !== f.key ? key.slice(f.key.length) + ': ' : '', e.message));
      } else if (!part) {
        unplaced.push(e);
      }
    }
    if (unplaced.length) {
      clear(this.banner, h('div', {class: 'banner bad'}, h('strong', {}, 'Not applied: '),
        unplaced.map(e => (e.key ? e.key + ': ' : '') + e.message).join('; ')));
    }
  }

  async apply() {
    this.clearErrors();
    this.applyButton.disabled = true;
    this.message.className = 'message';
    this.message.textContent = 'Applying…';
    const answer = await put('/api/config', this.collect());
    this.applyButton.disabled = false;
    if (answer.ok) {
      this.show(answer.body);
      const pending = answer.body.pendingRestart || [];
      this.message.className = 'message ok';
      this.message.textContent = 'Applied.' + (pending.length ? ` After a restart: ${pending.join(', ')}.` : '');
    } else if (answer.status === 400 && answer.body && Array.isArray(answer.body.errors)) {
      this.showErrors(answer.body.errors);
      this.message.className = 'message bad';
      const n = answer.body.errors.length;
      this.message.textContent = `Nothing was applied: ${n} problem${n === 1 ? '' : 's'} to fix.`;
    } else {
      this.message.className = 'message bad';
      this.message.textContent = 'Nothing was applied: ' + errorText(answer);
    }
  }

  async revert() {
    await this.load();
    this.message.className = 'message';
    this.message.textContent = 'Reverted to the running configuration.';
  }
}
