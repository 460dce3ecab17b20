#!/usr/bin/env python3
"""Converts scikit-learn's bundled copies of the 8x8 digits and iris data sets into the plain CSV
files that Nabla ships as core resources (core/src/main/resources/dev/nabla/data/).

Source: Debian's python3-sklearn (BSD-3-Clause), which carries
  sklearn/datasets/data/digits.csv.gz  (1797 rows: 64 pixel counts 0..16, then the digit)
  sklearn/datasets/data/iris.csv       (first row "150,4,setosa,versicolor,virginica",
                                        then 4 measurements and a class id 0..2)
Output: a header row naming every column and one example per row; the digits file is gzipped
with a fixed timestamp so that re-running the script reproduces the committed bytes.

Usage: tools/convert-sklearn-data.py [SKLEARN_DATA_DIR] [OUTPUT_DIR]
"""
import csv
import gzip
import io
import os
import sys

SRC = sys.argv[1] if len(sys.argv) > 1 else "/usr/lib/python3/dist-packages/sklearn/datasets/data"
OUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "core", "src", "main", "resources", "dev", "nabla", "data")


def number(text):
    """Integers stay integers ("5.0" -> "5"); other values keep their text."""
    value = float(text)
    return str(int(value)) if value.is_integer() else text


def digits():
    with gzip.open(os.path.join(SRC, "digits.csv.gz"), "rt", newline="") as f:
        rows = list(csv.reader(f))
    assert len(rows) == 1797, len(rows)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow([f"px{r}_{c}" for r in range(8) for c in range(8)] + ["digit"])
    for row in rows:
        assert len(row) == 65, len(row)
        w.writerow([number(v) for v in row])
    path = os.path.join(OUT, "digits.csv.gz")
    # mtime=0 and no file name in the gzip header: the output depends on the data only.
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz:
        gz.write(out.getvalue().encode("ascii"))
    print(f"wrote {path}: {len(rows)} rows")


def iris():
    with open(os.path.join(SRC, "iris.csv"), newline="") as f:
        rows = list(csv.reader(f))
    count, features, *names = rows[0]
    assert (int(count), int(features)) == (150, 4) and len(rows) == 151, rows[0]
    path = os.path.join(OUT, "iris.csv")
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["sepal_length", "sepal_width", "petal_length", "petal_width", "species"])
        for row in rows[1:]:
            w.writerow(row[:4] + [names[int(row[4])]])
    print(f"wrote {path}: {len(rows) - 1} rows")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    digits()
    iris()
