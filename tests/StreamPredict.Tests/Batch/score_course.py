#!/usr/bin/env python3
"""The course's batch scoring (04-deployment/batch/score.py) on one month, for the row-by-row parity test.

Usage: score_course.py MODEL TRIPS.csv[.gz] YEAR MONTH OUT.csv

The filter, the ride_id and the features are the course's code (read_dataframe, prepare_dictionaries, the 2025
homework's ride_id); the model is loaded with the exporter's loader, as predict_sklearn.py does. The month is read from
its CSV copy because Debian's pandas has no parquet engine (pyarrow is not packaged); the CSV and parquet copies hold the
same rows in the same order. OUT.csv has ride_id, pickup, PULocationID, DOLocationID, actual_duration and
predicted_duration, floats written with repr() so that they round-trip.
"""
import os
import sys

import pandas as pd

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "src", "exporters"))
from export_sklearn import load  # noqa: E402


def read_dataframe(filename, year, month):
    df = pd.read_csv(filename, parse_dates=["lpep_pickup_datetime", "lpep_dropoff_datetime"])
    df["duration"] = df.lpep_dropoff_datetime - df.lpep_pickup_datetime
    df.duration = df.duration.dt.total_seconds() / 60
    df = df[(df.duration >= 1) & (df.duration <= 60)].copy()
    df["ride_id"] = f"{year:04d}/{month:02d}_" + df.index.astype("str")
    return df


def prepare_dictionaries(df):
    categorical = ["PULocationID", "DOLocationID"]
    df[categorical] = df[categorical].astype(str)
    df["PU_DO"] = df["PULocationID"] + "_" + df["DOLocationID"]
    return df[["PU_DO", "trip_distance"]].to_dict(orient="records")


def main(argv):
    if len(argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    model_path, trips, year, month, out = argv[0], argv[1], int(argv[2]), int(argv[3]), argv[4]
    df = read_dataframe(trips, year, month)
    dicts = prepare_dictionaries(df)
    dv, model, _ = load(model_path)
    y_pred = model.predict(dv.transform(dicts))
    with open(out, "w", encoding="utf-8") as stream:
        stream.write("ride_id,pickup,PULocationID,DOLocationID,actual_duration,predicted_duration\n")
        for ride_id, pickup, pu, do, actual, predicted in zip(
            df.ride_id, df.lpep_pickup_datetime, df.PULocationID, df.DOLocationID, df.duration, y_pred
        ):
            stream.write(f"{ride_id},{pickup.isoformat()},{pu},{do},{float(actual)!r},{float(predicted)!r}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
