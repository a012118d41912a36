/**
 * Text as a slug: accents dropped, lowercase, runs of anything but a-z and 0-9 as one dash, no
 * dash at either end, at most `max` characters. Bank slugs, GIFT question ids and export file
 * names all take this one rule; an empty result is the caller's to replace.
 */
export function slugify(text: string, max = 64): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, max)
    .replace(/-+$/, '');
}

/**
 * A download name's stem: lowercase, letters and digits of any script kept ("Économie" →
 * "économie"; the Content-Disposition header encodes them per RFC 5987), anything else as a dash.
 */
export function fileNameStem(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-|-$/g, '');
}
