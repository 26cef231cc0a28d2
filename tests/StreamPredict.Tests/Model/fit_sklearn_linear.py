"""Test helper: fit the course's DictVectorizer + LinearRegression on a TLC CSV and pickle the (dv, model) tuple.

Usage: fit_sklearn_linear.py TRAIN.csv.gz OUT.pkl
Dense input makes sklearn use scipy's exact lstsq (minimum norm) rather than its iterative sparse solver.
"""
import csv
import gzip
import pickle
import sys
from datetime import datetime

from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LinearRegression


def main(train, out):
    features, target = [], []
    with gzip.open(train, "rt", newline="") as stream:
        for row in csv.DictReader(stream):
            parse = lambda column: datetime.strptime(row[column], "%Y-%m-%d %H:%M:%S")
            duration = (parse("lpep_dropoff_datetime") - parse("lpep_pickup_datetime")).total_seconds() / 60
            if 1 <= duration <= 60:
                features.append({"PU_DO": f"{row['PULocationID']}_{row['DOLocationID']}",
                                 "trip_distance": float(row["trip_distance"])})
                target.append(duration)
    dv = DictVectorizer(sparse=False)
    model = LinearRegression().fit(dv.fit_transform(features), target)
    with open(out, "wb") as stream:
        pickle.dump((dv, model), stream)


if __name__ == "__main__":
    main(*sys.argv[1:])
