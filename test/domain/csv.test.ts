import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/domain/csv.js';

const fields = (text: string) => {
  const result = parseCsv(text);
  if ('error' in result) throw new Error(result.error);
  return result.records.map((record) => record.fields);
};

describe('parseCsv', () => {
  it('splits fields and records, with CRLF, LF or CR line breaks', () => {
    expect(fields('a,b\r\nc,d\ne,f\rg,h')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
      ['e', 'f'],
      ['g', 'h'],
    ]);
  });

  it('reads quoted fields with commas, line breaks and escaped quotes', () => {
    expect(fields('"Doe, Jo","say ""hi""","two\r\nlines"\r\n')).toEqual([['Doe, Jo', 'say "hi"', 'two\r\nlines']]);
  });

  it('keeps empty fields, quoted or not, and a quote inside an unquoted field', () => {
    expect(fields('a,,""\nx"y,')).toEqual([
      ['a', '', ''],
      ['x"y', ''],
    ]);
  });

  it('numbers records as spreadsheet rows: blank lines count, a final line break and a BOM do not', () => {
    const result = parseCsv('\ufeffh1,h2\n\n"multi\nline",x\nlast,y\n');
    expect(result).toEqual({
      records: [
        { number: 1, fields: ['h1', 'h2'] },
        { number: 2, fields: [''] },
        { number: 3, fields: ['multi\nline', 'x'] },
        { number: 4, fields: ['last', 'y'] },
      ],
    });
  });

  it('rejects an unterminated quote and text after a closing quote', () => {
    expect(parseCsv('a\n"open,b')).toEqual({ error: 'record 2 has a quoted field without its closing quote' });
    expect(parseCsv('"a"b,c')).toEqual({ error: 'record 1 has text after the closing quote of a field' });
  });

  it('reads an empty text as no records', () => {
    expect(fields('')).toEqual([]);
  });
});
