// Configuration › Administration: the web UI's login. Blank (the default) keeps the UI open, and
// reachable from this computer only.
import {h, clear, append, card} from '../dom.js';
import {get, post, errorText, currentSession} from '../api.js';

const FIELDS = [
  ['oldUser', 'Old user name', 'text', 'username'],
  ['oldPassword', 'Old password', 'password', 'current-password'],
  ['newUser', 'New user name', 'text', 'username'],
  ['newPassword', 'New password', 'password', 'new-password'],
  ['confirmPassword', 'Confirm new password', 'password', 'new-password'],
];

export function page(main) {
  const inputs = {}, errors = {};
  const banner = h('div', {id: 'form-errors'});
  const message = h('span', {class: 'message', id: 'apply-message', role: 'status'});
  const credentialsState = h('p', {class: 'muted', id: 'credentials-state'});
  const rows = FIELDS.map(([key, label, type, autocomplete]) => {
    inputs[key] = h('input', {type, id: 'a-' + key, autocomplete, spellcheck: 'false'});
    errors[key] = h('div', {class: 'error', id: 'a-' + key + '-error', role: 'alert'});
    return h('div', {class: 'field', dataset: {key}}, h('label', {for: 'a-' + key}, label),
      h('div', {class: 'control'}, inputs[key], errors[key]));
  });
  const apply = h('button', {type: 'button', class: 'primary', id: 'apply', onclick: () => submit()}, 'Apply');
  append(main, h('h1', {}, 'Administration'),
    h('p', {class: 'subtitle'}, 'Change the user name and password of this web interface.'),
    banner, card('Change login credentials', credentialsState, rows,
      h('p', {class: 'help muted'}, 'Leave both new fields blank to remove the login (the UI is then reachable from this computer only). ',
        'Once applied, Revert cannot bring the old credentials back.')),
    h('div', {class: 'actionbar'}, apply,
      h('button', {type: 'button', id: 'revert', onclick: () => reset('Reverted.')}, 'Revert'), message));

  function clearErrors() {
    clear(banner);
    Object.values(errors).forEach(e => clear(e));
    rows.forEach(r => r.classList.remove('invalid'));
  }

  function fieldError(key, text) {
    const row = rows.find(r => r.dataset.key === key);
    if (!row) {
      append(banner, h('div', {class: 'banner bad'}, text));
      return;
    }
    row.classList.add('invalid');
    append(errors[key], text);
  }

  function reset(text) {
    Object.values(inputs).forEach(i => { i.value = ''; });
    clearErrors();
    message.className = 'message';
    message.textContent = text || '';
    showState();
  }

  async function showState() {
    const config = await get('/api/config');
    if (config.ok) {
      credentialsState.textContent = config.body.admin.credentialsSet
        ? 'A login is set (user "' + config.body.admin.userName + '").'
        : 'No login is set: the web interface is open on this computer.';
    }
  }

  async function submit() {
    clearErrors();
    if (inputs.newPassword.value !== inputs.confirmPassword.value) {
      fieldError('confirmPassword', 'does not match the new password');
      message.className = 'message bad';
      message.textContent = 'Nothing was changed.';
      return;
    }
    const body = {oldUser: inputs.oldUser.value, oldPassword: inputs.oldPassword.value,
      newUser: inputs.newUser.value, newPassword: inputs.newPassword.value};
    apply.disabled = true;
    const answer = await post('/api/admin/credentials', body);
    apply.disabled = false;
    if (answer.ok) {
      reset('Credentials changed.' + (currentSession().authRequired || body.newUser ? ' Other sessions were logged out.' : ''));
      message.className = 'message ok';
      window.dispatchEvent(new Event('sipbridge:session-changed'));
      return;
    }
    message.className = 'message bad';
    message.textContent = 'Nothing was changed.';
    if (answer.status === 400 && answer.body && Array.isArray(answer.body.errors)) {
      answer.body.errors.forEach(e => fieldError(e.key, e.message));
    } else if (answer.status === 403) {
      fieldError('oldPassword', answer.body && answer.body.error ? answer.body.error : 'The current user name or password is wrong');
    } else if (answer.status === 404) {
      append(banner, h('div', {class: 'banner warn'}, 'This bridge cannot change its login from the web interface yet.'));
    } else {
      append(banner, h('div', {class: 'banner bad'}, errorText(answer)));
    }
  }
  showState();
}
