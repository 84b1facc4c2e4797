// YAML mistakes in plain words (issue 22): a parser error is reported at the
// line a person has to change, with a hint that says how that line is
// indented against the lines above it; a list item indented too far, which
// YAML reads as more words of the item above, is refused where it is written.
import type { Diagnostic } from '../../src/diagnostics';
import { load, run, tempRepo } from '../support/helpers';

const FILE = 'access/groups/g.yaml';

/** Every diagnostic of a group file as `file:line:col severity CODE message` and its hint. */
function reported(body: string): Array<[string, string | undefined]> {
  return load({ 'groups/g.yaml': body }).diagnostics.map((d: Diagnostic) => [`${d.file}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`, d.hint]);
}

describe('a list item indented too far (ACC019)', () => {
  it('is refused at its "-", not read as the login "a@example.com - b@example.com"', () => {
    expect(reported('name: g\nmode: additive\nmembers:\n  - a@example.com\n    - b@example.com\n')).toEqual([
      [
        `${FILE}:5:5 error ACC019 list item indented too far: YAML reads "- b@example.com" as more of the value above it, "a@example.com - b@example.com"`,
        "this line is indented more than the list it belongs to: align the '-' with the other items (column 3); if it is one value, quote it",
      ],
    ]);
  });

  it('names the column of its own list when lists nest', () => {
    const body = 'name: g\nmode: additive\naws:\n  - permissionSet: ReadOnly\n    accounts:\n      - prod\n        - dev\n';
    expect(reported(body)).toEqual([
      [
        `${FILE}:7:9 error ACC019 list item indented too far: YAML reads "- dev" as more of the value above it, "prod - dev"`,
        "this line is indented more than the list it belongs to: align the '-' with the other items (column 7); if it is one value, quote it",
      ],
    ]);
  });

  it('after a key of a list item, points at the list that holds the item', () => {
    expect(reported('name: g\nmode: additive\nmembers:\n  - user: a@example.com\n      - b@example.com\n')).toEqual([
      [
        `${FILE}:5:7 error ACC019 list item indented too far: YAML reads "- b@example.com" as more of the value above it, "a@example.com - b@example.com"`,
        "this line is indented more than the list it belongs to: align the '-' with the other items (column 3); if it is one value, quote it",
      ],
    ]);
  });

  it('under a key that has a value on its line, says where a list goes', () => {
    expect(reported('name: g\nmode: additive\nmembers: a@example.com\n  - b@example.com\n')).toEqual([
      [
        `${FILE}:4:3 error ACC019 list item indented too far: YAML reads "- b@example.com" as more of the value above it, "a@example.com - b@example.com"`,
        'a list goes on the lines below its key: leave nothing after the key\'s \':\' and start each item on its own line with "- ", the \'-\' of every item at the same column; if it is one value, quote it',
      ],
    ]);
  });

  it('leaves alone a value that goes on over lines without "- ", and a quoted one with it', () => {
    expect(reported('name: g\nmode: additive\ndescription: payments on-call\n  and incident cover\n')).toEqual([]);
    expect(reported('name: g\nmode: additive\ndescription: "payments on-call\n  - incident cover"\n')).toEqual([]);
    expect(reported('name: g\nmode: additive\ndescription: a-b\n  -c\n')).toEqual([]);
  });

  it('prints in the text output with its hint and documentation', async () => {
    const r = await run(['validate'], tempRepo({ 'groups/g.yaml': 'name: g\nmode: additive\nmembers:\n  - a@example.com\n    - b@example.com\n' }));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      `${FILE}:5:5 error ACC019 list item indented too far: YAML reads "- b@example.com" as more of the value above it, "a@example.com - b@example.com"\n` +
        "  hint: this line is indented more than the list it belongs to: align the '-' with the other items (column 3); if it is one value, quote it\n" +
        '  see docs/errors.md#acc019\n' +
        'access: 1 error, 0 warnings, 0 waived\n',
    );
  });
});

describe('YAML syntax errors: at the line to change, with a hint (ACC010, ACC011)', () => {
  it.each<[string, string, string, string]>([
    [
      'a list item indented less than the item above it',
      'name: g\nmembers:\n    - a@example.com\n  - b@example.com\n',
      `${FILE}:4:3 error ACC010 list item indented less than the item above it`,
      "this line is indented less than the list it belongs to: align the '-' with the other items (column 5)",
    ],
    [
      'a key indented more than a key whose value is on its line',
      'name: g\ndescription: d\n  owners: [a@example.com]\n',
      `${FILE}:3:3 error ACC010 line indented more than the key "description" above it`,
      'line it up with "description" (column 1): only a key with nothing after its \':\' takes the more indented lines below it as its value',
    ],
    [
      'a key indented more than the keys of its list item',
      'name: g\nmembers:\n  - user: a@example.com\n      expires: 2026-01-01\n',
      `${FILE}:4:7 error ACC010 line indented more than the key "user" above it`,
      'line it up with "user" (column 5): only a key with nothing after its \':\' takes the more indented lines below it as its value',
    ],
    [
      'a key indented less than the keys of its list item',
      'name: g\nmembers:\n  - user: a@example.com\n   expires: 2026-01-01\n',
      `${FILE}:4:4 error ACC010 line indented less than the key "user" of the list item above it`,
      'line it up with "user" (column 5) to add it to that item, or start it with "- " to begin a new item',
    ],
    [
      'a key of a list item two lines up, indented less than the item\'s keys',
      'name: g\naws:\n  - permissionSet: ReadOnly\n    accounts: [prod]\n   mode: additive\n',
      `${FILE}:5:4 error ACC010 line indented less than the key "permissionSet" of the list item above it`,
      'line it up with "permissionSet" (column 5) to add it to that item, or start it with "- " to begin a new item',
    ],
    [
      'a key lined up with the \'-\' of a list of mappings',
      'name: g\nmembers:\n  - user: a@example.com\n  expires: 2026-01-01\n',
      `${FILE}:4:3 error ACC010 key lined up with the '-' of the list above it`,
      'line it up with "user" (column 5) to add it to the list item above it; a key of the mapping that holds the list goes at column 1, like "members"',
    ],
    [
      'a key after a list, indented like its items',
      'name: g\nmembers:\n  - a@example.com\n  owners: [a@example.com]\n',
      `${FILE}:4:3 error ACC010 key lined up with the '-' of the list above it`,
      'a list holds items, each starting with "- "; a key of the mapping that holds the list goes at column 1, like "members"',
    ],
    [
      'a key lined up with none of the keys above it',
      'name: g\naws:\n    - permissionSet: ReadOnly\n  mode: additive\n',
      `${FILE}:4:3 error ACC010 line not lined up with the keys above it (it starts at column 3)`,
      'line it up with the key of the mapping it belongs to: "permissionSet" (column 7) or "aws" (column 1)',
    ],
    [
      'a list item without a space after its \'-\'',
      'name: g\nmembers:\n  - a@example.com\n  -b@example.com\n',
      `${FILE}:4:3 error ACC010 list item without a space after its '-'`,
      'write "- " (a \'-\' and a space) before the item',
    ],
    [
      'a line of a block of text indented less than its first line',
      'name: g\ndescription: |\n    on call\n  payments\nmode: additive\n',
      `${FILE}:4:3 error ACC010 line of the text of "description" indented less than its first line`,
      'indent every line of the text after | at least as much as its first line (column 5); a line that starts a new key goes at column 1, like "description"',
    ],
    [
      'a key without ": "',
      'name: g\ndescription payments\nmode: additive\n',
      `${FILE}:2:1 error ACC010 line without ": " after its key: YAML reads it and the lines after it as one long key`,
      'write the key, a ":" and a space, then the value, such as "description: payments"',
    ],
    [
      'a key with no space after its ":"',
      'name:g\nmode: additive\n',
      `${FILE}:1:1 error ACC010 line without ": " after its key: YAML reads it and the lines after it as one long key`,
      'write the key, a ":" and a space, then the value, such as "name: g"',
    ],
    [
      'an unclosed quote, at the quote',
      'name: g\ndescription: "payments\nmode: additive\n',
      `${FILE}:2:14 error ACC010 the " that starts this value is never closed`,
      'add the closing " where the value ends: until then the value runs on over the lines below',
    ],
    [
      'an unclosed [, at the [',
      'name: g\nowners: [a@example.com, b@example.com\nmode: additive\n',
      `${FILE}:2:9 error ACC010 the [ that starts this list is never closed`,
      'add the ] after its last item; a [ … ] written over several lines indents every line after the first more than its key',
    ],
    [
      'two commas in a [ ] list',
      'name: g\nowners: [a@example.com,, b@example.com]\n',
      `${FILE}:2:24 error ACC010 Unexpected , in flow sequence`,
      'in [ … ] and { … }, separate the items with one ","; quote a value that holds ",", "[", "]", "{" or "}"',
    ],
    [
      'a tab used for indentation',
      'name: g\nmembers:\n\t- a@example.com\n',
      `${FILE}:3:1 error ACC011 Tabs are not allowed as indentation`,
      'indent with spaces: YAML does not allow tabs at the start of a line',
    ],
  ])('%s', (_name, body, line, hint) => {
    expect(reported(body)).toEqual([[line, hint]]);
  });

  it('reports a key indented more than its siblings at the key, not at column 1 of its line', () => {
    expect(reported('name: g\nowners: [a@example.com]\n   mode: additive\n')).toEqual([
      [`${FILE}:3:4 error ACC010 line indented more than the key "owners" above it`, 'line it up with "owners" (column 1): only a key with nothing after its \':\' takes the more indented lines below it as its value'],
    ]);
  });

  it('gives an error the parser reports twice over one token once, though the two point at different lines', () => {
    // The yaml package reports "d" both as a compact mapping holding a nested one (the line below is wrong) and as a key over two lines.
    expect(reported('name: g\ndescription: d\n  owners: [a@example.com]\n').map(([line]) => line)).toEqual([`${FILE}:3:3 error ACC010 line indented more than the key "description" above it`]);
  });
});
