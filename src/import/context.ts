// What every step of accessctl import shares: the input, readers for the two
// export directories, and what the steps collect (files, import blocks, notes,
// revocations). Each step takes this context and adds to it; what one step
// reads for the next is returned from it, typed.
import { Document, isScalar, visit } from 'yaml';
import type { Settings } from '../model/types';
import { ExportFile } from './exports';

export interface ImportInput {
  readonly oktaDir: string;
  readonly awsDir: string;
  /** Shown in messages for the two directories. */
  readonly oktaLabel: string;
  readonly awsLabel: string;
  readonly settings: Settings;
  /** The IAM Identity Center instance to import when instances.json lists several (--instance). */
  readonly instance?: string;
  /** Largest imports file to write; more entries go to several files under imports/. */
  readonly maxImportsFileBytes?: number;
}

export interface ImportEntryOut {
  readonly resource: string;
  readonly key: string;
  readonly id: string;
}

export interface ImportContext {
  readonly input: ImportInput;
  /** Path relative to the access directory -> content, in the order the files are written. */
  readonly files: Map<string, string>;
  readonly imports: ImportEntryOut[];
  /** What was not imported, and why, in the order found. */
  readonly notes: string[];
  /** Access the first apply takes away. */
  readonly revocations: string[];
  /** A file of the Okta export; a missing one is an error. */
  okta(rel: string): ExportFile;
  oktaOptional(rel: string): ExportFile | undefined;
  /** A file of the AWS export; a missing one is an error. */
  aws(rel: string): ExportFile;
  awsOptional(rel: string): ExportFile | undefined;
}

export function newImportContext(input: ImportInput): ImportContext {
  return {
    input,
    files: new Map<string, string>(),
    imports: [],
    notes: [],
    revocations: [],
    okta: (rel) => ExportFile.read(input.oktaDir, rel, `${input.oktaLabel}/${rel}`),
    oktaOptional: (rel) => ExportFile.readOptional(input.oktaDir, rel, `${input.oktaLabel}/${rel}`),
    aws: (rel) => ExportFile.read(input.awsDir, rel, `${input.awsLabel}/${rel}`),
    awsOptional: (rel) => ExportFile.readOptional(input.awsDir, rel, `${input.awsLabel}/${rel}`),
  };
}

/**
 * Strings YAML 1.1 readers (PyYAML, editors, older tools) take for a date or a
 * boolean: quoted, so `Version: "2012-10-17"` stays the string IAM wants
 * wherever the file is read. YAML 1.2 would leave them plain.
 */
const YAML11_NOT_STRING = /^(?:[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;

/** A file's text: its header comment, then `data` as YAML. */
export const yaml = (header: string, data: unknown): string => {
  const doc = new Document(data);
  visit(doc, {
    Scalar(_key, node) {
      if (isScalar(node) && typeof node.value === 'string' && YAML11_NOT_STRING.test(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return `${header}${doc.toString({ lineWidth: 0, flowCollectionPadding: false })}`;
};
