#!/usr/bin/env python3
"""Export a course scikit-learn model to a streampredict.model/v1 JSON artifact.

Usage: export_sklearn.py MODEL OUT.json [--name NAME] [--version VERSION]

MODEL is a pickle file or an MLflow model folder (its MLmodel names the pickle). The pickle holds a
DictVectorizer followed by a LinearRegression, Ridge, Lasso, DecisionTreeRegressor, RandomForestRegressor or
GradientBoostingRegressor, either as a two-step Pipeline or as the course's (dv, model) tuple.

The artifact's checksum is SHA-256 over the exact bytes of the "model" member as written: the model object is
serialized once, hashed, and spliced into the envelope, which is what the C# loader verifies.
Needs only the standard library and scikit-learn (Debian: apt-get install python3-sklearn).
"""
import argparse
import hashlib
import json
import pickle
import re
import sys
from pathlib import Path

SCHEMA = "streampredict.model/v1"
CATEGORY = "PU_DO"
DISTANCE = "trip_distance"


class ExportError(Exception):
    pass


def read_mlmodel(folder):
    """Returns (pickle path, run id, sklearn version) from an MLflow model folder, without needing PyYAML."""
    text = (folder / "MLmodel").read_text(encoding="utf-8")

    def field(name):
        match = re.search(rf"^\s*{name}:\s*['\"]?([^'\"\n]+?)['\"]?\s*$", text, re.MULTILINE)
        return match.group(1) if match else None

    pickled = field("pickled_model") or field("model_path")
    if pickled is None:
        raise ExportError(f"{folder / 'MLmodel'} names no pickled_model or model_path")
    return folder / pickled, field("run_id"), field("sklearn_version")


def load(model_path):
    """Returns (vectorizer, estimator, description) where description holds run id and provenance."""
    path = Path(model_path)
    run_id, trained_with = None, None
    if path.is_dir():
        if not (path / "MLmodel").is_file():
            raise ExportError(f"{path} is a folder without an MLmodel file; pass a pickle or an MLflow model folder")
        pickle_path, run_id, trained_with = read_mlmodel(path)
    else:
        pickle_path = path
    if not pickle_path.is_file():
        raise ExportError(f"model pickle {pickle_path} does not exist")

    with open(pickle_path, "rb") as stream:
        obj = pickle.load(stream)
    dv, estimator = split_pipeline(obj)
    return dv, estimator, {
        "run_id": run_id,
        "trained_with": trained_with,
        "path": path,
    }


def split_pipeline(obj):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.pipeline import Pipeline

    if isinstance(obj, Pipeline):
        steps = [step for _, step in obj.steps]
    elif isinstance(obj, tuple):
        steps = list(obj)
    else:
        raise ExportError(f"expected a Pipeline or a (DictVectorizer, model) tuple, found {type(obj).__name__}")
    if len(steps) != 2 or not isinstance(steps[0], DictVectorizer):
        names = ", ".join(type(step).__name__ for step in steps)
        raise ExportError(f"expected exactly DictVectorizer then a regressor, found: {names}")
    return steps[0], steps[1]


def columns(dv):
    """Maps DictVectorizer feature names to the artifact's column names, refusing anything else."""
    names = []
    for name in dv.feature_names_:
        if name == DISTANCE:
            names.append(name)
            continue
        prefix = CATEGORY + dv.separator
        value = name[len(prefix):] if name.startswith(prefix) else None
        if value is None or not re.fullmatch(r"\d+_\d+", value):
            raise ExportError(
                f"unsupported feature {name!r}: only '{CATEGORY}{dv.separator}<PU>_<DO>' one-hot and '{DISTANCE}' are supported")
        names.append(f"{CATEGORY}={value}")
    return names


def linear(model, n_columns):
    coef = model.coef_
    if coef.ndim == 2 and coef.shape[0] == 1:
        coef = coef[0]
    if coef.ndim != 1 or coef.shape[0] != n_columns:
        raise ExportError(f"{type(model).__name__} has coefficients of shape {model.coef_.shape}; expected ({n_columns},)")
    intercept = model.intercept_
    intercept = float(intercept[0] if getattr(intercept, "ndim", 0) == 1 else intercept)
    return {"kind": "linear", "intercept": intercept, "weights": [float(w) for w in coef]}


def tree(sklearn_tree):
    t = sklearn_tree.tree_
    if t.n_outputs != 1:
        raise ExportError(f"a tree has {t.n_outputs} outputs; only single-output regression is supported")
    leaf = t.children_left == -1
    return {
        "feature": [-1 if is_leaf else int(f) for f, is_leaf in zip(t.feature, leaf)],
        "threshold": [0.0 if is_leaf else float(x) for x, is_leaf in zip(t.threshold, leaf)],
        "left": [int(i) for i in t.children_left],
        "right": [int(i) for i in t.children_right],
        "value": [float(v) for v in t.value[:, 0, 0]],
    }


def estimator_spec(model, n_columns):
    from sklearn.dummy import DummyRegressor
    from sklearn.ensemble import GradientBoostingRegressor, RandomForestRegressor
    from sklearn.linear_model import Lasso, LinearRegression, Ridge
    from sklearn.tree import DecisionTreeRegressor

    if isinstance(model, (LinearRegression, Ridge, Lasso)):
        return linear(model, n_columns)
    forest = {"kind": "tree_ensemble", "split": "<=", "aggregation": "mean"}
    if isinstance(model, DecisionTreeRegressor):
        return {**forest, "trees": [tree(model)]}
    if isinstance(model, RandomForestRegressor):
        return {**forest, "trees": [tree(t) for t in model.estimators_]}
    if isinstance(model, GradientBoostingRegressor):
        if model.init_ == "zero":
            base_score = 0.0
        elif isinstance(model.init_, DummyRegressor):
            base_score = float(model.init_.constant_.ravel()[0])
        else:
            raise ExportError(f"GradientBoostingRegressor init {type(model.init_).__name__} is not supported")
        return {
            "kind": "tree_ensemble", "split": "<=", "aggregation": "sum",
            "base_score": base_score, "learning_rate": float(model.learning_rate),
            "trees": [tree(stage[0]) for stage in model.estimators_],
        }
    raise ExportError(
        f"unsupported model {type(model).__name__}; supported: LinearRegression, Ridge, Lasso, "
        "DecisionTreeRegressor, RandomForestRegressor, GradientBoostingRegressor")


def document(model_path, name=None, version=None):
    import sklearn

    dv, model, info = load(model_path)
    cols = columns(dv)
    path = info["path"]
    # The folder or file name only: an absolute path would make the same export differ from machine to machine.
    source = f"MLflow model {path.name}" if path.is_dir() else f"pickle {path.name}"
    if info["run_id"]:
        source += f" (run {info['run_id']})"
    trained_with = info["trained_with"] or "unknown"
    content = {
        "name": name or f"{type(model).__name__}",
        "version": version or info["run_id"] or path.stem,
        "features": {"columns": cols},
        "estimator": estimator_spec(model, len(cols)),
        "training": {
            "producer": f"export_sklearn.py (trained with sklearn {trained_with}, exported with {sklearn.__version__})",
            "source": source,
        },
    }
    model_bytes = json.dumps(content, separators=(",", ":"), allow_nan=False).encode("utf-8")
    sha = hashlib.sha256(model_bytes).hexdigest()
    head = json.dumps({"schema": SCHEMA, "sha256": sha}, separators=(",", ":")).encode("utf-8")
    return head[:-1] + b',"model":' + model_bytes + b"}"


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", help="pickle file or MLflow model folder")
    parser.add_argument("out", help="artifact JSON to write")
    parser.add_argument("--name", help="model name (default: the estimator's class name)")
    parser.add_argument("--version", help="model version (default: the MLflow run id, else the file name)")
    args = parser.parse_args(argv)
    try:
        data = document(args.model, args.name, args.version)
    except ExportError as error:
        print(f"export_sklearn.py: {error}", file=sys.stderr)
        return 2
    except ValueError as error:
        # json.dumps(allow_nan=False) lands here when the model holds NaN or infinity.
        print(f"export_sklearn.py: the model cannot be written: {error}", file=sys.stderr)
        return 2
    Path(args.out).write_bytes(data)
    print(f"wrote {args.out} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
