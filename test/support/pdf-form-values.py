# Prints the AcroForm field values of a PDF as JSON ({"full.name": "value", ...}), read with pyHanko's own PDF
# reader: a parser nobody on this project wrote, to check what the platform filled in. Check boxes and radio groups
# give their state name without the slash ("Yes", "Off", "premium"); fields without a value and signature fields
# are left out.
import json
import sys

from pyhanko.pdf_utils.generic import NameObject
from pyhanko.pdf_utils.reader import PdfFileReader


def deref(obj):
    return obj.get_object() if hasattr(obj, 'get_object') else obj


def walk(field, prefix, out):
    field = deref(field)
    name = field.get('/T')
    full = f"{prefix}.{name}" if prefix and name is not None else (str(name) if name is not None else prefix)
    kids = field.get('/Kids')
    # Signature fields hold the signature itself, not a value anyone filled in.
    if '/V' in field and field.get('/FT') != '/Sig':
        value = deref(field['/V'])
        out[full] = str(value)[1:] if isinstance(value, NameObject) else str(value)
    if kids is not None:
        for kid in deref(kids):
            if '/T' in deref(kid):
                walk(kid, full, out)


def main(path):
    with open(path, 'rb') as f:
        reader = PdfFileReader(f)
        out = {}
        acro = reader.root.get('/AcroForm')
        if acro is not None:
            for field in deref(deref(acro)['/Fields']):
                walk(field, '', out)
        print(json.dumps(out, ensure_ascii=False))


if __name__ == '__main__':
    main(sys.argv[1])
