// What the chart draws, read from pixels: a PNG (a screenshot or the
// chart's PNG export) decoded with pngjs, then sampled where Cytoscape
// says its nodes are, against the background.
import { PNG } from 'pngjs';

/** Decodes a PNG file's bytes: { width, height, data } (RGBA, 8 bits). */
export function decodePng(bytes) {
  return PNG.sync.read(bytes);
}

/** The RGBA colour at (x, y), or null outside the image. */
export function pixel(img, x, y) {
  x = Math.round(x);
  y = Math.round(y);
  if (x < 0 || y < 0 || x >= img.width || y >= img.height) return null;
  const i = (y * img.width + x) * 4;
  return [img.data[i], img.data[i + 1], img.data[i + 2], img.data[i + 3]];
}

/** The most frequent colour of the image: its background. */
export function background(img) {
  const counts = new Map();
  for (let i = 0; i < img.data.length; i += 4 * 7) {
    const key = img.data.readUInt32BE(i);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const [key] = [...counts.entries()].reduce((a, b) => (b[1] > a[1] ? b : a));
  return [key >>> 24, (key >>> 16) & 0xff, (key >>> 8) & 0xff, key & 0xff];
}

/** Whether two colours differ by more than a rounding or anti-aliasing step. */
export function differs(a, b, tolerance = 24) {
  return a.some((v, i) => Math.abs(v - b[i]) > tolerance);
}

/**
 * The share (0..1) of pixels within `radius` of (x, y), in a square, whose
 * colour differs from the background.
 */
export function inkAround(img, x, y, radius, bg) {
  let ink = 0;
  let all = 0;
  for (let dy = -radius; dy <= radius; dy++) {
    for (let dx = -radius; dx <= radius; dx++) {
      const p = pixel(img, x + dx, y + dy);
      if (!p) continue;
      all++;
      if (differs(p, bg)) ink++;
    }
  }
  return all ? ink / all : 0;
}
