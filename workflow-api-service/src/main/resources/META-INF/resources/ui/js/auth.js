// Sign-in for a service that checks tokens: OpenID Connect authorization code flow with PKCE, as a
// public client of the same identity provider (config.json names it). The tokens live in this
// page's memory only; a reload signs in again, which the provider's session makes a round trip
// without a password prompt. The page's route survives the trip in sessionStorage, keyed by state.

import {h} from './dom.js';
import {caller, useTokens} from './api.js';

const PENDING = 'kaapana.console.sign-in.';
/** Refresh this long before the access token expires. */
const EARLY_MS = 30000;

let provider = null; // the discovery document
let settings = null; // config.auth
let tokens = null; // {access, refresh, id, expiresAt}
let refreshing = null;

function base64url(bytes) {
  let text = '';
  for (const b of new Uint8Array(bytes)) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomText(bytes = 32) {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** Where the provider sends the browser back: the console itself, without query or route. */
function redirectUri() {
  return `${location.origin}${location.pathname}`;
}

/** The claims of a token, for display only: the service is the one that checks tokens. */
function claims(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(payload), (c) => c.charCodeAt(0))));
  } catch {
    return {};
  }
}

function keep(answer) {
  tokens = {
    access: answer.access_token,
    refresh: answer.refresh_token || (tokens && tokens.refresh) || null,
    id: answer.id_token || (tokens && tokens.id) || null,
    expiresAt: Date.now() + (Number(answer.expires_in) || 60) * 1000,
  };
}

async function tokenRequest(form) {
  const response = await fetch(provider.token_endpoint, {method: 'POST', cache: 'no-store',
    headers: {'Content-Type': 'application/x-www-form-urlencoded'}, body: new URLSearchParams(form)});
  const answer = await response.json().catch(() => ({}));
  if (!response.ok || !answer.access_token) {
    throw new Error(answer.error_description || answer.error || `the token endpoint answered ${response.status}`);
  }
  return answer;
}

let leaving = false;

/** Leaves for the provider's sign-in page; the current route comes back with the answer. */
export async function beginSignIn() {
  if (leaving) return; // several refused requests at once: one trip
  leaving = true;
  const verifier = randomText(48);
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const state = randomText(16);
  sessionStorage.setItem(PENDING + state, JSON.stringify({verifier, route: location.hash}));
  const target = new URL(provider.authorization_endpoint);
  target.search = new URLSearchParams({client_id: settings.client_id, response_type: 'code',
    scope: settings.scope, redirect_uri: redirectUri(), state, code_challenge: challenge,
    code_challenge_method: 'S256'}).toString();
  location.assign(target.toString());
}

async function currentToken() {
  if (!tokens) return null;
  if (Date.now() < tokens.expiresAt - EARLY_MS) return tokens.access;
  if (!tokens.refresh) return tokens.access;
  if (!refreshing) {
    refreshing = tokenRequest({grant_type: 'refresh_token', client_id: settings.client_id, refresh_token: tokens.refresh})
      .then(keep, () => {
        // The provider's session ended: the next 401 signs in again.
        if (tokens) tokens.refresh = null;
      })
      .finally(() => {
        refreshing = null;
      });
  }
  await refreshing;
  return tokens.access;
}

function failed(message) {
  document.getElementById('main').replaceChildren(
    h('h1', {}, 'Sign-in failed'),
    h('p', {}, message),
    h('button', {type: 'button', class: 'primary', onclick: () => beginSignIn()}, 'Sign in again'));
}

async function showUser() {
  const me = await caller();
  const name = me.actor || claims(tokens.access).preferred_username || 'signed in';
  const slot = document.getElementById('user');
  slot.replaceChildren(h('span', {class: 'user-name', title: 'Signed in'}, name),
    h('button', {type: 'button', class: 'sign-out', onclick: signOut}, 'Sign out'));
  slot.hidden = false;
}

function signOut() {
  const end = provider.end_session_endpoint;
  const idToken = tokens && tokens.id;
  tokens = null;
  if (!end) {
    location.reload();
    return;
  }
  const target = new URL(end);
  target.search = new URLSearchParams({client_id: settings.client_id, post_logout_redirect_uri: redirectUri(),
    ...(idToken ? {id_token_hint: idToken} : {})}).toString();
  location.assign(target.toString());
}

/**
 * Resolves true when the console may start (no sign-in needed, or signed in now); false when the
 * browser is on its way to the provider or sign-in failed (the page says so).
 */
export async function signIn() {
  let config = {auth: null};
  try {
    const response = await fetch(new URL('config.json', document.baseURI), {cache: 'no-store'});
    if (response.ok) config = await response.json();
  } catch {
    // without config.json the API calls will say what is wrong
  }
  if (!config.auth) return true;
  settings = config.auth;
  try {
    const discovery = await fetch(`${settings.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, {cache: 'no-store'});
    if (!discovery.ok) throw new Error(`the identity provider answered ${discovery.status}`);
    provider = await discovery.json();
  } catch (e) {
    failed(`The identity provider ${settings.issuer} cannot be reached: ${e.message || e}`);
    return false;
  }

  const answer = new URLSearchParams(location.search);
  if (answer.has('state') && (answer.has('code') || answer.has('error'))) {
    const state = answer.get('state');
    const pending = JSON.parse(sessionStorage.getItem(PENDING + state) || 'null');
    sessionStorage.removeItem(PENDING + state);
    history.replaceState(null, '', redirectUri() + (pending && pending.route ? pending.route : ''));
    if (!pending) {
      failed('The sign-in answer does not belong to a sign-in this page started.');
      return false;
    }
    if (answer.has('error')) {
      failed(`The identity provider refused: ${answer.get('error_description') || answer.get('error')}`);
      return false;
    }
    try {
      keep(await tokenRequest({grant_type: 'authorization_code', client_id: settings.client_id,
        code: answer.get('code'), redirect_uri: redirectUri(), code_verifier: pending.verifier}));
    } catch (e) {
      failed(`The code could not be exchanged for a token: ${e.message || e}`);
      return false;
    }
    useTokens(currentToken, beginSignIn);
    showUser();
    return true;
  }
  await beginSignIn();
  return false;
}
