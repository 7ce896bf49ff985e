import { api, fetchBlob } from './api.js';
import { h, toast } from './dom.js';

const sizeText = (bytes) =>
  bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MiB`
    : `${Math.max(1, Math.round(bytes / 1024))} KiB`;

/** Saves a file fetched with the API key under its own name. */
async function download(url, name) {
  try {
    const link = h('a', { href: URL.createObjectURL(await fetchBlob(url)), download: name });
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
  } catch (error) {
    toast(`Could not download ${name}: ${error.message}`, 'error');
  }
}

/**
 * A completed video.transcode: its poster and renditions from the result manifest. Files are fetched
 * with the API key (the poster becomes a blob: image), so this works with keys on.
 */
export function videoResultCard(jobId) {
  const card = h(
    'section',
    { class: 'card video-result' },
    h('h2', {}, 'Video'),
    h('p', { class: 'muted' }, 'Loading the manifest…'),
  );
  void (async () => {
    let manifest;
    try {
      manifest = await api.result(jobId);
    } catch (error) {
      card.lastChild.textContent = `The manifest could not be read: ${error.message}`;
      return;
    }
    const poster = manifest.poster
      ? h('img', {
          class: 'poster',
          alt: `Poster of job ${jobId}`,
          width: manifest.poster.width,
          height: manifest.poster.height,
        })
      : null;
    const rows = (manifest.renditions ?? []).map((rendition) =>
      h(
        'tr',
        { dataset: { rendition: rendition.name } },
        h('td', { class: 'mono' }, rendition.name),
        h('td', {}, rendition.codec),
        h('td', {}, `${rendition.width}×${rendition.height}`),
        h('td', {}, `${Number(rendition.durationSeconds).toFixed(1)} s`),
        h('td', {}, sizeText(rendition.sizeBytes)),
        h('td', {}, rendition.bitrate ? `${Math.round(rendition.bitrate / 1000)} kbit/s` : '—'),
        h(
          'td',
          {},
          h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              onclick: () => void download(rendition.url, rendition.name),
            },
            'Download',
          ),
        ),
      ),
    );
    card.replaceChildren(
      h('h2', {}, 'Video'),
      poster,
      h(
        'table',
        { class: 'renditions' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Rendition', 'Codec', 'Size', 'Duration', 'File', 'Bitrate', ''].map((c) =>
              h('th', { scope: 'col' }, c),
            ),
          ),
        ),
        h('tbody', {}, rows),
      ),
    );
    if (poster) {
      try {
        poster.src = URL.createObjectURL(await fetchBlob(manifest.poster.url));
      } catch (error) {
        poster.replaceWith(
          h('p', { class: 'muted' }, `The poster could not be loaded: ${error.message}`),
        );
      }
    }
  })();
  return card;
}
