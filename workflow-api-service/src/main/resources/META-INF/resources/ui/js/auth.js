// How the console gets access: config.json (served by the service) says whether the API takes
// bearer tokens. Sign-in through the identity provider is not built yet (issue 18 lists it); a
// service that needs tokens gets a notice instead of a console full of 401s.

import {h} from './dom.js';

export async function signIn() {
  let config = {auth: null};
  try {
    const response = await fetch(new URL('config.json', document.baseURI), {cache: 'no-store'});
    if (response.ok) config = await response.json();
  } catch {
    // the service answers config.json itself; without it the API calls will say what is wrong
  }
  if (!config.auth) return true;
  document.getElementById('main').replaceChildren(
    h('h1', {}, 'Sign-in required'),
    h('p', {}, 'This service checks access tokens of ', h('code', {}, config.auth.issuer),
      '. The console cannot sign in through the identity provider yet; use the API with a token.'));
  return false;
}
