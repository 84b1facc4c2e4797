// Pieces of `.tftest.hcl` files the engine tests write: mocks need override
// values with the full shape of the provider's types, which come from the
// engine's own `tofu providers schema -json`.

/** A cty type as `tofu providers schema -json` prints it. */
export type CtyType = string | [string, unknown];

/** A null of every attribute of an object type, so an override value has the full shape the engine requires. */
export function nullsFor(type: CtyType): Record<string, null> {
  if (!Array.isArray(type) || type[0] !== 'object') throw new Error(`not an object type: ${JSON.stringify(type)}`);
  return Object.fromEntries(Object.keys(type[1] as Record<string, unknown>).map((k) => [k, null]));
}

/** An override_data block: the data source's attributes given as JSON (which HCL reads as is). */
export function overrideData(target: string, values: Readonly<Record<string, unknown>>): string {
  const lines = Object.entries(values).map(([k, v]) => `    ${k} = ${JSON.stringify(v)}`);
  return `override_data {\n  target = ${target}\n  values = {\n${lines.join('\n')}\n  }\n}\n`;
}
