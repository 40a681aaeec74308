#!/usr/bin/python3
# check-translations.py SRCDIR [LANG...]: every translatable string of the sources is translated.
#
# 1. Every file under src/, ui/ and data/ that holds a translatable string (_("…"), N_("…"),
#    C_("…", …), translatable="yes", a gettext-domain schema, a desktop or metainfo template) is
#    listed in po/POTFILES.in, and every file listed there exists.
# 2. xgettext over po/POTFILES.in (the arguments of meson's "glib" preset, as the fidac-pot
#    target uses) reads every file and every format string whole, and gives a template; each of its messages is in po/LANG.po, translated in every
#    plural form and not fuzzy; msgfmt --check accepts the catalogue (format strings match).
# The failure message lists what is missing, ready to be added to the catalogue.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import os
import re
import subprocess
import sys
import tempfile

XGETTEXT_ARGS = [
    '--from-code=UTF-8', '--add-comments',
    '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3', '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format', '--flag=C_:2:pass-c-format', '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format', '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format', '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format', '--flag=g_set_error:4:c-format',
    '--flag=g_prefix_error:2:c-format', '--flag=g_markup_printf_escaped:1:c-format',
    '--flag=g_log:3:c-format', '--flag=g_print:1:c-format', '--flag=g_printerr:1:c-format',
    '--flag=g_printf:1:c-format', '--flag=g_fprintf:2:c-format', '--flag=g_sprintf:2:c-format',
    '--flag=g_snprintf:3:c-format',
]

SOURCE_DIRS = ('src', 'ui', 'data')
SOURCE_SUFFIXES = ('.c', '.h', '.cc', '.hh', '.cpp', '.ui', '.xml', '.in')
TRANSLATABLE = re.compile(
    r'(?:^|[^\w])(?:N_|_|C_|NC_|ngettext|g_dngettext|g_dpgettext2)\s*\(\s*"'
    r'|translatable\s*=\s*"yes"'
    r'|gettext-domain\s*=')


def read_potfiles(srcdir):
    with open(os.path.join(srcdir, 'po', 'POTFILES.in'), encoding='utf-8') as f:
        return [line.strip() for line in f
                if line.strip() and not line.lstrip().startswith('#')]


def files_with_strings(srcdir):
    found = []
    for top in SOURCE_DIRS:
        for root, dirs, files in os.walk(os.path.join(srcdir, top)):
            dirs[:] = sorted(d for d in dirs if not d.startswith('.'))
            for name in sorted(files):
                if not name.endswith(SOURCE_SUFFIXES):
                    continue
                path = os.path.join(root, name)
                rel = os.path.relpath(path, srcdir)
                if rel.startswith('data' + os.sep) and name.endswith(('.desktop.in',
                                                                       '.metainfo.xml.in')):
                    found.append(rel)
                    continue
                try:
                    with open(path, encoding='utf-8', errors='replace') as f:
                        if TRANSLATABLE.search(f.read()):
                            found.append(rel)
                except OSError:
                    pass
    return found


def unquote(parts):
    """Join the quoted pieces of a PO field and undo its C escapes."""
    text = ''.join(parts)
    out = []
    i = 0
    escapes = {'n': '\n', 't': '\t', 'r': '\r', '"': '"', '\\': '\\', 'a': '\a',
               'b': '\b', 'f': '\f', 'v': '\v'}
    while i < len(text):
        c = text[i]
        if c == '\\' and i + 1 < len(text):
            out.append(escapes.get(text[i + 1], text[i + 1]))
            i += 2
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def load_po(path):
    """Return {(msgctxt, msgid): entry}; entry: plural, msgstr {field: text}, fuzzy, refs."""
    entries = {}
    blocks = []
    cur = None
    field = None
    with open(path, encoding='utf-8') as f:
        for line in f.read().splitlines() + ['']:
            stripped = line.strip()
            if not stripped:
                cur, field = None, None
                continue
            m = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)"$',
                         stripped)
            starts_entry = m is not None and m.group(1) in ('msgctxt', 'msgid') and \
                cur is not None and any(k.startswith('msgstr') for k in cur['raw'])
            if cur is None or starts_entry:
                cur = {'fuzzy': False, 'obsolete': False, 'refs': [], 'raw': {}}
                blocks.append(cur)
                field = None
            if stripped.startswith('#~'):
                cur['obsolete'] = True
            elif stripped.startswith('#,'):
                cur['fuzzy'] = cur['fuzzy'] or 'fuzzy' in stripped
            elif stripped.startswith('#:'):
                cur['refs'].extend(stripped[2:].split())
            elif stripped.startswith('#'):
                pass
            elif m:
                field = m.group(1)
                cur['raw'][field] = [m.group(2)]
            elif stripped.startswith('"') and stripped.endswith('"') and field is not None:
                cur['raw'][field].append(stripped[1:-1])
            else:
                raise ValueError('{}: cannot parse: {}'.format(path, line))
    for block in blocks:
        raw = block.pop('raw')
        if block['obsolete'] or 'msgid' not in raw:
            continue
        key = (unquote(raw['msgctxt']) if 'msgctxt' in raw else None, unquote(raw['msgid']))
        if key == (None, ''):
            continue  # the header
        block['plural'] = unquote(raw['msgid_plural']) if 'msgid_plural' in raw else None
        block['msgstr'] = {k: unquote(v) for k, v in raw.items() if k.startswith('msgstr')}
        entries[key] = block
    return entries


def main():
    srcdir = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else '.')
    langs = sys.argv[2:]
    if not langs:
        with open(os.path.join(srcdir, 'po', 'LINGUAS'), encoding='utf-8') as f:
            langs = [w for line in f if not line.startswith('#') for w in line.split()]
    problems = []

    # 1. POTFILES.in is complete and exact.
    listed = read_potfiles(srcdir)
    for rel in listed:
        if not os.path.isfile(os.path.join(srcdir, rel)):
            problems.append('po/POTFILES.in lists {}, which does not exist'.format(rel))
    unlisted = [rel for rel in files_with_strings(srcdir) if rel not in listed]
    if unlisted:
        problems.append('po/POTFILES.in lacks these files with translatable strings:\n' +
                        ''.join('  {}\n'.format(rel) for rel in unlisted).rstrip('\n'))
    if problems:
        print('\n'.join(problems))
        return 1

    # 2. Every message of the template is translated in each language.
    macro_cut = False
    with tempfile.TemporaryDirectory(prefix='fidac-pot-') as tmp:
        pot = os.path.join(tmp, 'fidac.pot')
        xgettext = subprocess.run(
            ['xgettext', *XGETTEXT_ARGS, '--directory=' + srcdir,
             '--files-from=' + os.path.join(srcdir, 'po', 'POTFILES.in'), '--output=' + pot],
            capture_output=True, text=True)
        if xgettext.returncode != 0 or not os.path.exists(pot):
            print('xgettext failed:\n' + xgettext.stderr)
            return 1
        if xgettext.stderr.strip():
            print(xgettext.stderr.strip())
        if 'cannot read' in xgettext.stderr:
            # xgettext then falls back to reading the file as C and misses its strings.
            print('xgettext could not parse a file of po/POTFILES.in (see above)')
            return 1
        if 'not a valid C format string' in xgettext.stderr:
            # Typically "%" G_GINT64_FORMAT inside _(): xgettext cannot expand the macro, so the
            # catalogue's msgid never matches the string looked up at run time. Use a cast and
            # %lld / %llu (or <inttypes.h> PRId64, which gettext understands) instead.
            print('a translatable format string is cut by a macro (see above)')
            macro_cut = True
        template = load_po(pot)

    print('{} messages in the template from {} files'.format(len(template), len(listed)))
    failed = macro_cut
    for lang in langs:
        po_path = os.path.join(srcdir, 'po', lang + '.po')
        if not os.path.exists(po_path):
            print('po/{}.po does not exist'.format(lang))
            failed = True
            continue
        catalogue = load_po(po_path)
        missing = []
        for key, entry in template.items():
            ctxt, msgid = key
            found = catalogue.get(key)
            if found is None:
                why = 'missing'
            elif found['fuzzy']:
                why = 'fuzzy'
            elif not found['msgstr'] or any(not s for s in found['msgstr'].values()):
                why = 'untranslated'
            elif entry['plural'] is not None and 'msgstr[0]' not in found['msgstr']:
                why = 'plural forms missing'
            else:
                continue
            missing.append((why, ctxt, msgid, entry['plural'], entry['refs']))
        msgfmt = subprocess.run(['msgfmt', '--check', '--statistics', '--output-file=/dev/null',
                                 po_path], capture_output=True, text=True)
        print('po/{}.po: {}'.format(lang, msgfmt.stderr.strip()))
        if msgfmt.returncode != 0:
            failed = True
        if missing:
            failed = True
            print('po/{}.po lacks {} of {} messages (add them, e.g. after '
                  '"meson compile -C _build fidac-update-po"):'.format(lang, len(missing),
                                                                       len(template)))
            for why, ctxt, msgid, plural, refs in missing:
                print('#: {}'.format(' '.join(refs[:3])))
                print('#  ({})'.format(why))
                if ctxt is not None:
                    print('msgctxt {}'.format(quote(ctxt)))
                print('msgid {}'.format(quote(msgid)))
                if plural is not None:
                    print('msgid_plural {}'.format(quote(plural)))
                    print('msgstr[0] ""\nmsgstr[1] ""\n')
                else:
                    print('msgstr ""\n')
    return 1 if failed else 0


def quote(text):
    return '"' + text.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n') \
        .replace('\t', '\\t') + '"'


if __name__ == '__main__':
    sys.exit(main())
