/** The SVG icons @grafana/ui ships, by `<set>/<name>.svg`; a virtual module made by the bundler. */
declare module 'o11y:icons' {
  const icons: Readonly<Record<string, string>>;
  export default icons;
}
