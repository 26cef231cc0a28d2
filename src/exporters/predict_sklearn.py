#!/usr/bin/env python3
"""Print scikit-learn's predictions for rides, one per line, for parity checks against the C# engine.

Usage: predict_sklearn.py MODEL RIDES.csv

RIDES.csv has the header PULocationID,DOLocationID,trip_distance. Features are built as the course does:
{"PU_DO": f"{PU}_{DO}", "trip_distance": distance}. Output uses repr(), which round-trips float64 exactly.
"""
import csv
import sys

from export_sklearn import ExportError, load


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        dv, model, _ = load(argv[0])
    except ExportError as error:
        print(f"predict_sklearn.py: {error}", file=sys.stderr)
        return 2
    with open(argv[1], newline="", encoding="utf-8") as stream:
        rides = [
            {"PU_DO": f"{row['PULocationID']}_{row['DOLocationID']}", "trip_distance": float(row["trip_distance"])}
            for row in csv.DictReader(stream)
        ]
    for value in model.predict(dv.transform(rides)):
        print(repr(float(value)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
