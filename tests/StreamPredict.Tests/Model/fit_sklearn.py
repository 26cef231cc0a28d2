"""Test helper: fit a course-style DictVectorizer + regressor on a TLC CSV and pickle it.

Usage: fit_sklearn.py TRAIN.csv.gz OUT.pkl MAX_ROWS KIND
KIND: linear (the course's (dv, model) tuple), ridge and boosting (two-step Pipelines), lasso, tree, forest;
and, to check the exporter refuses them, knn (an unsupported model) and separate-ids (unsupported features).
MAX_ROWS caps the kept trips: the dense solve is cubic in the number of columns. Dense input makes LinearRegression
use scipy's exact lstsq (minimum norm) rather than its iterative sparse solver.
"""
import csv
import gzip
import pickle
import sys
from datetime import datetime

from sklearn.ensemble import GradientBoostingRegressor, RandomForestRegressor
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import Lasso, LinearRegression, Ridge
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import make_pipeline
from sklearn.tree import DecisionTreeRegressor

MODELS = {
    "linear": LinearRegression,
    "ridge": lambda: Ridge(alpha=0.5),
    "lasso": lambda: Lasso(alpha=0.01),
    "tree": lambda: DecisionTreeRegressor(max_depth=8, random_state=1),
    "forest": lambda: RandomForestRegressor(n_estimators=10, max_depth=6, random_state=1),
    "boosting": lambda: GradientBoostingRegressor(n_estimators=20, max_depth=3, learning_rate=0.2, random_state=1),
    "knn": KNeighborsRegressor,
    "separate-ids": LinearRegression,
}
PIPELINES = {"ridge", "boosting"}


def trips(train, max_rows):
    features, target = [], []
    with gzip.open(train, "rt", newline="") as stream:
        for row in csv.DictReader(stream):
            if len(target) == max_rows:
                break
            parse = lambda column: datetime.strptime(row[column], "%Y-%m-%d %H:%M:%S")
            duration = (parse("lpep_dropoff_datetime") - parse("lpep_pickup_datetime")).total_seconds() / 60
            if 1 <= duration <= 60:
                features.append({"PU_DO": f"{row['PULocationID']}_{row['DOLocationID']}",
                                 "trip_distance": float(row["trip_distance"])})
                target.append(duration)
    return features, target


def main(train, out, max_rows, kind):
    features, target = trips(train, int(max_rows))
    if kind == "separate-ids":
        features = [{"PU": f["PU_DO"].split("_")[0], "trip_distance": f["trip_distance"]} for f in features]
    dv = DictVectorizer(sparse=False)
    model = MODELS[kind]()
    if kind in PIPELINES:
        fitted = make_pipeline(dv, model).fit(features, target)
    else:
        fitted = (dv, model.fit(dv.fit_transform(features), target))
    with open(out, "wb") as stream:
        pickle.dump(fitted, stream)


if __name__ == "__main__":
    main(*sys.argv[1:])
