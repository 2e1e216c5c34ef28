/**
 * The output formats of one verb's report, by name: `human`, `json`, `sarif`… Each verb declares one
 * map; `--format` and the `formats` of o11y.config.ts pick from it, and the first entry is the default.
 */
export type Formatters<Report, Options = undefined> = Readonly<
  Record<string, (report: Report, options: Options) => string>
>;
