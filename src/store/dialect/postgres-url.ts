/** PostgreSQL locations as Switchboard writes them; no driver needed to read one. */

/** Whether a database location names a PostgreSQL server rather than a SQLite file. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/**
 * `postgres://user@host:port/db?schema=name`: the `schema` parameter is Switchboard's own (the
 * tests give each file a schema of its own); it becomes the connection's search_path.
 */
export function parsePostgresUrl(location: string): { connectionString: string; schema: string | undefined } {
  const url = new URL(location);
  const schema = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) {
    throw new Error('The schema parameter of a PostgreSQL URL must be lower-case letters, digits and _.');
  }
  return { connectionString: url.toString(), schema };
}

/** The location without its password, for messages and logs. */
export function describePostgresUrl(location: string): string {
  const url = new URL(location);
  if (url.password) url.password = '***';
  return url.toString();
}
