import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvCell, toCsv } from '../../server/progress/csv.ts';

test('cells that begin with = + - @ tab or CR are escaped so a spreadsheet shows them as text', () => {
  const table: Array<[string, string]> = [
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+1', "'+1"],
    ['-2+3', "'-2+3"],
    ['@cmd', "'@cmd"],
    ['\t=1', "'\t=1"],
    ['plain', 'plain'],
    ['a=b', 'a=b'],
  ];
  for (const [input, expected] of table) assert.equal(csvCell(input), expected, input);
});

test('quotes, commas and line breaks are quoted per RFC 4180; numbers stay numbers', () => {
  assert.equal(csvCell('say "hi", then go'), '"say ""hi"", then go"');
  assert.equal(csvCell('two\nlines'), '"two\nlines"');
  assert.equal(csvCell('=HYPERLINK("x","y")'), `"'=HYPERLINK(""x"",""y"")"`);
  assert.equal(csvCell(-3), '-3');
  assert.equal(csvCell(0.5), '0.5');
  assert.equal(csvCell(null), '');
  assert.equal(csvCell(new Date('2026-01-02T03:04:05Z')), '2026-01-02T03:04:05.000Z');
});

test('toCsv writes a header and rows with CRLF line ends', () => {
  assert.equal(
    toCsv(
      ['a', 'b'],
      [
        [1, 'x'],
        [2, '=y'],
      ],
    ),
    "a,b\r\n1,x\r\n2,'=y\r\n",
  );
});
