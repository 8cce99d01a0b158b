// Configuration › Authentication: the stations whose digest challenges the bridge answers itself.
// Passwords are never shown back: a station keeps its stored password unless a new one is typed.
import {h, clear, append, card, table} from '../dom.js';
import {ConfigForm} from '../form.js';

const PAGE_SIZE = 10;

export function page(main) {
  const form = new ConfigForm(main, 'Authentication',
    'Credentials the bridge uses to answer the PBX\'s digest challenges for a phone user (station).');
  let stations = [];      // working copy: {name, userName, password?, passwordSet}
  let errors = new Map(); // index → messages
  let filter = '';
  let page = 0;
  let editing = null;     // index being edited, or -1 for a new station

  const filterInput = h('input', {type: 'search', id: 'station-filter', placeholder: 'Name or user name', 'aria-label': 'Filter'});
  const list = h('div', {id: 'stations'});
  const editorBox = h('div');
  const pager = h('div', {class: 'pager'});

  function openEditor(index) {
    editing = index;
    const s = index >= 0 ? stations[index] : {name: '', userName: '', passwordSet: false};
    const name = h('input', {type: 'text', id: 'station-name', value: s.name});
    const user = h('input', {type: 'text', id: 'station-user', value: s.userName, spellcheck: 'false'});
    const password = h('input', {type: 'password', id: 'station-password', autocomplete: 'new-password',
      placeholder: s.passwordSet ? 'unchanged' : ''});
    const done = () => {
      const edited = {name: name.value.trim(), userName: user.value.trim(), passwordSet: s.passwordSet};
      if (password.value) edited.password = password.value;
      else if (s.password) edited.password = s.password;
      if (index >= 0) stations[index] = edited; else stations.push(edited);
      editing = null;
      render();
    };
    clear(editorBox, h('div', {class: 'editor', id: 'station-editor'},
      h('label', {}, 'Name', name), h('label', {}, 'User name', user),
      h('label', {}, 'Password', password),
      h('div', {class: 'toolbar'},
        h('button', {type: 'button', class: 'primary', id: 'station-done', onclick: done}, index >= 0 ? 'Keep changes' : 'Add to list'),
        h('button', {type: 'button', onclick: () => { editing = null; clear(editorBox); }}, 'Cancel'))));
    name.focus();
  }

  function render() {
    clear(editorBox);
    const needle = filter.toLowerCase();
    const matching = stations.map((s, i) => [s, i])
      .filter(([s]) => !needle || s.name.toLowerCase().includes(needle) || s.userName.toLowerCase().includes(needle));
    const pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
    page = Math.min(page, pages - 1);
    clear(list, table(['Name', 'User name', 'Password', ''], matching.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE)
      .map(([s, i]) => h('tr', {dataset: {index: i}},
        h('td', {}, s.name, (errors.get(i) || []).map(m => h('div', {class: 'error-text'}, m))),
        h('td', {class: 'mono'}, s.userName),
        h('td', {}, s.password ? 'new (not yet applied)' : s.passwordSet ? '•••••' : 'not set'),
        h('td', {class: 'num'},
          h('button', {type: 'button', class: 'edit', onclick: () => openEditor(i)}, 'Edit'), ' ',
          h('button', {type: 'button', class: 'danger delete', onclick: () => { stations.splice(i, 1); errors.clear(); render(); }}, 'Delete')))),
    filter ? 'No station matches the filter.' : 'No stations: the phone\'s own credentials pass through to the PBX.'));
    clear(pager,
      h('button', {type: 'button', disabled: page === 0, onclick: () => { page--; render(); }}, '‹'),
      `Page ${page + 1} of ${pages} · ${matching.length} total item${matching.length === 1 ? '' : 's'}`,
      h('button', {type: 'button', disabled: page >= pages - 1, onclick: () => { page++; render(); }}, '›'));
  }

  form.addCustom({
    show(config) {
      stations = config.stations.map(s => ({name: s.name, userName: s.userName, passwordSet: s.passwordSet}));
      errors = new Map();
      render();
    },
    collect(change) {
      change.stations = stations.map(s => {
        const out = {name: s.name, userName: s.userName};
        if (s.password) out.password = s.password;
        return out;
      });
    },
    clearErrors() { errors = new Map(); render(); },
    showError(e) {
      const match = /^stations\[(\d+)]\.?(.*)$/.exec(e.key);
      if (!match && e.key !== 'stations') return false;
      const index = match ? Number(match[1]) : -1;
      const messages = errors.get(index) || [];
      messages.push((match && match[2] ? match[2] + ': ' : '') + e.message);
      errors.set(index, messages);
      render();
      return true;
    },
  });

  append(form.body, card('Stations',
    h('div', {class: 'toolbar'}, filterInput,
      h('button', {type: 'button', id: 'station-filter-button', onclick: () => { filter = filterInput.value.trim(); page = 0; render(); }}, 'Filter'),
      h('button', {type: 'button', onclick: () => { filterInput.value = ''; filter = ''; render(); }}, 'Reset'),
      h('span', {class: 'spacer'}),
      h('button', {type: 'button', id: 'station-add', onclick: () => openEditor(-1)}, 'Add station')),
    editorBox, list, pager));
  form.load();
}
