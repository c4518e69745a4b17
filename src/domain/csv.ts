/** A record of a CSV text: its fields, and its number in the text (the first record is 1). */
export interface CsvRecord {
  number: number;
  fields: string[];
}

export type CsvResult = { records: CsvRecord[] } | { error: string };

/**
 * Splits CSV text (RFC 4180) into records: fields separated by commas, records by CRLF, LF or CR.
 * A field in double quotes may hold commas, line breaks and `""` for a quote; a quote inside an
 * unquoted field is kept as it is. A leading byte-order mark and a final line break are ignored; an
 * empty line is a record with one empty field, so record numbers stay the rows of a spreadsheet.
 *
 * @example parseCsv('email,name\r\n"a@b.example","Doe, ""Jo"""') // records [['email','name'], ['a@b.example', 'Doe, "Jo"']]
 */
export function parseCsv(text: string): CsvResult {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRecord = () => {
    fields.push(field);
    records.push({ number: records.length + 1, fields });
    fields = [];
    field = '';
  };
  while (i < text.length) {
    const char = text[i];
    if (char === '"' && field === '') {
      const end = closingQuote(text, i + 1);
      if (end < 0) return { error: `record ${records.length + 1} has a quoted field without its closing quote` };
      field = text.slice(i + 1, end).replaceAll('""', '"');
      i = end + 1;
      const next = text[i];
      if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n') {
        return { error: `record ${records.length + 1} has text after the closing quote of a field` };
      }
      continue;
    }
    if (char === ',') {
      fields.push(field);
      field = '';
      i++;
    } else if (char === '\r' || char === '\n') {
      endRecord();
      i += char === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += char;
      i++;
    }
  }
  if (field !== '' || fields.length > 0) endRecord();
  return { records };
}

/** The index of the quote that closes a quoted field starting at `from`, or -1. */
function closingQuote(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const quote = text.indexOf('"', i);
    if (quote < 0) return -1;
    if (text[quote + 1] !== '"') return quote;
    i = quote + 2;
  }
  return -1;
}
