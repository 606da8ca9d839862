/** One schema step. Versions are consecutive integers starting at 1; a released migration never changes. */
export interface Migration {
  /** Position in the schema history; becomes SQLite's `user_version` once applied. */
  readonly version: number;
  /** Short dotted name recorded in `schema_migrations`. */
  readonly name: string;
  /** SQL run inside one transaction together with the version bump. */
  readonly sql: string;
}
