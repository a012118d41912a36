import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plainOf, richBlock, richInline } from '../../server/formatting/rich-text.ts';
import { assertHarmless } from '../helpers/harmless.ts';

test('the Markdown subset renders: emphasis, code, links, line breaks inline; paragraphs and lists in explanations', () => {
  assert.equal(richInline('*em*, **strong** and `x = 1`'), '<em>em</em>, <strong>strong</strong> and <code>x = 1</code>');
  assert.equal(richInline('[the paper](https://example.org/a)'), '<a href="https://example.org/a" rel="nofollow noopener noreferrer">the paper</a>');
  assert.equal(richInline('one\ntwo'), 'one<br />\ntwo');
  assert.equal(richBlock('Because:\n\n- one\n- two'), '<p>Because:</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n');
  // Inline places (labels, legends) never get block elements.
  assert.doesNotMatch(richInline('- one\n- two\n\n1. three'), /<(ul|ol|li|p)\b/);
});

test('plain text is escaped as EJS escapes it (markup shows as typed), and keeps its words', () => {
  assert.equal(richInline(`Tom & "Jerry" <b>'s</b>`), 'Tom &amp; &#34;Jerry&#34; &lt;b&gt;&#39;s&lt;/b&gt;');
  assert.equal(richInline('*Tom* & <b>Jerry</b>'), '<em>Tom</em> &amp; &lt;b&gt;Jerry&lt;/b&gt;');
  assert.equal(richInline('Is 2 * 3 = 6?'), 'Is 2 * 3 = 6?');
  assert.equal(richBlock('A plain explanation.'), '<p>A plain explanation.</p>');
  assert.equal(plainOf('*In* 2001, `SCO` [was](https://x.org) founded'), 'In 2001, SCO was founded');
  assert.equal(richInline(''), '');
  assert.equal(richBlock(null), '');
});

const ATTACKS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<a href="javascript:alert(1)">x</a>',
  '[x](javascript:alert(1))',
  '[x](JaVaScRiPt:alert(1))',
  '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[x](vbscript:msgbox(1))',
  '<style>body{display:none}</style>',
  '<svg onload=alert(1)>',
  '[x](https://ok.example" onmouseover="alert(1))',
  '`<script>`',
  '**<iframe src=//evil>**',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '<<script>script>alert(1)<</script>/script>',
];

test('no script, style, event attribute or unsafe link survives either renderer', () => {
  for (const attack of ATTACKS) {
    assertHarmless(richInline(attack), attack);
    assertHarmless(richBlock(attack), attack);
    assertHarmless(richInline(`*${attack}*\n${attack}`), attack);
  }
});
