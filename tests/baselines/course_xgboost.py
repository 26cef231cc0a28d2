"""The course's XGBoost baseline, measured on our data: the figure our gradient-boosted trees must beat.

Usage: /usr/bin/python3 tests/baselines/course_xgboost.py TRAIN.csv.gz VALIDATION.csv.gz [--json]

Reads TLC green-taxi CSV (plain or gzip) with pandas, keeps rides of 1..60 minutes as the course does, builds the
course's features (DictVectorizer over PU_DO and trip_distance) and trains xgboost with the parameters the course's
hyperopt search found (MLOps Zoomcamp, 02-experiment-tracking): 1,000 rounds, early stopping after 50 rounds without
a better validation RMSE. Needs Debian's python3-xgboost 1.7 and python3-sklearn (apt-get install, /usr/bin/python3).

Prints the validation RMSE two ways: with every tree trained (what the course's notebook computes with
booster.predict after xgb.train, which keeps the trees past the best iteration) and at the best iteration; and the
seconds spent (featurization + training, then the whole process).
"""
import json
import sys
import time

PROCESS_START = time.perf_counter()

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import xgboost as xgb  # noqa: E402
from sklearn.feature_extraction import DictVectorizer  # noqa: E402

# The course's best hyperopt trial, as logged to MLflow in 02-experiment-tracking.
COURSE_PARAMS = {
    "learning_rate": 0.09585355369315604,
    "max_depth": 30,
    "min_child_weight": 1.060597050922164,
    "objective": "reg:squarederror",
    "reg_alpha": 0.018060244040060163,
    "reg_lambda": 0.011658731377413597,
    "seed": 42,
}
ROUNDS = 1000
EARLY_STOPPING = 50


def read_dataframe(path):
    df = pd.read_csv(path, usecols=["lpep_pickup_datetime", "lpep_dropoff_datetime", "PULocationID",
                                    "DOLocationID", "trip_distance"])
    df = df.dropna()
    pickup = pd.to_datetime(df.lpep_pickup_datetime)
    dropoff = pd.to_datetime(df.lpep_dropoff_datetime)
    df["duration"] = (dropoff - pickup).dt.total_seconds() / 60
    df = df[(df.duration >= 1) & (df.duration <= 60)].copy()
    df["PU_DO"] = df.PULocationID.astype(int).astype(str) + "_" + df.DOLocationID.astype(int).astype(str)
    return df


def rmse(actual, predicted):
    return float(np.sqrt(np.mean((np.asarray(actual) - np.asarray(predicted)) ** 2)))


def main(train_path, validation_path, as_json):
    df_train = read_dataframe(train_path)
    df_val = read_dataframe(validation_path)

    clock = time.perf_counter()
    dv = DictVectorizer()
    columns = ["PU_DO", "trip_distance"]
    x_train = dv.fit_transform(df_train[columns].to_dict(orient="records"))
    x_val = dv.transform(df_val[columns].to_dict(orient="records"))
    train = xgb.DMatrix(x_train, label=df_train.duration.values)
    valid = xgb.DMatrix(x_val, label=df_val.duration.values)
    booster = xgb.train(params=COURSE_PARAMS, dtrain=train, num_boost_round=ROUNDS,
                        evals=[(valid, "validation")], early_stopping_rounds=EARLY_STOPPING, verbose_eval=False)
    train_seconds = time.perf_counter() - clock

    trees = booster.num_boosted_rounds()
    best = booster.best_iteration
    result = {
        "train": train_path,
        "validation": validation_path,
        "train_rows": int(len(df_train)),
        "validation_rows": int(len(df_val)),
        "columns": len(dv.feature_names_),
        "trees": trees,
        "best_iteration": best,
        "train_rmse": rmse(df_train.duration, booster.predict(train)),
        "validation_rmse_all_trees": rmse(df_val.duration, booster.predict(valid)),
        "validation_rmse_best_iteration": rmse(df_val.duration, booster.predict(valid, iteration_range=(0, best + 1))),
        "featurize_and_train_seconds": round(train_seconds, 2),
        "process_seconds": round(time.perf_counter() - PROCESS_START, 2),
        "xgboost": xgb.__version__,
        "params": COURSE_PARAMS,
    }
    if as_json:
        print(json.dumps(result))
    else:
        for name, value in result.items():
            print(f"{name}: {value}")


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if a != "--json"]
    if len(arguments) != 2:
        sys.exit(__doc__)
    main(arguments[0], arguments[1], "--json" in sys.argv[1:])
