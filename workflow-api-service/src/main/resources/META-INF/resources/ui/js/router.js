// Hash routes: a page's address is its deep link ("#/runs/<id>"), and it works behind any path
// prefix because the server never sees the part after '#'.

/** The current route: path segments and query of the hash ("#/runs/ID?status=ERROR"). */
export function currentLocation() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = hash.split('?');
  let segments;
  try {
    segments = path.split('/').filter(Boolean).map((p) => decodeURIComponent(p));
  } catch {
    segments = ['not-found'];
  }
  return {segments, query: new URLSearchParams(query)};
}

/** A hash link: link(['runs', id], {attempt: 2}). */
export function link(segments, query) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query || {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, value);
  }
  const text = params.toString();
  return `#/${segments.map(encodeURIComponent).join('/')}${text ? `?${text}` : ''}`;
}

export function go(segments, query) {
  location.hash = link(segments, query);
}
