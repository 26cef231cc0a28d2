"""Test helper for the C# model-format readers: fits every model kind they accept on seeded synthetic rides and
saves each one the way its library does, then predicts with the library for parity checks.

Usage:
  make_models.py fit-sklearn OUT_DIR
      Writes OUT_DIR/<name>.pkl for each sklearn model. Some pickles are re-laid-out twins of a plain one ("<plain>@<layout>.pkl", same fitted model) that
      reproduce what newer libraries write: sklearn >= 1.3 tree nodes (missing_go_to_left), sklearn >= 1.4
      GradientBoosting losses, numpy 2 module names (numpy._core), pickle protocols 2 and 5. Prints one name a line.
  make_models.py fit-xgboost OUT_DIR
      Writes OUT_DIR/xgb*.{json,ubj,xgb} (the last in XGBoost 1.7's old binary format) and the DictVectorizer
      pickles that made their columns (xgb*.preprocessor.b).
  make_models.py predict MODEL RIDES.csv [PREPROCESSOR.b]
      One prediction per ride (repr, which round-trips float64). MODEL is a plain pickle, or an XGBoost model with
      the DictVectorizer pickle that made its columns.
  make_models.py malicious OUT.pkl TARGET
      A pickle whose __reduce__ names os.system("touch TARGET"); writing it runs nothing, and it is never loaded.

Needs Debian's python3-sklearn and python3-xgboost (/usr/bin/python3).
"""
import copyreg
import csv
import os
import pickle
import sys
import types

# One BLAS thread: the machines running these tests have two cores, shared.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

RIDES = 4000


def training_rides():
    rng = np.random.RandomState(20260601)
    pickup = rng.randint(1, 40, RIDES)
    dropoff = rng.randint(1, 40, RIDES)
    distance = np.round(rng.exponential(3.0, RIDES), 2)
    duration = 2 + 3.1 * distance + (pickup % 7) - 0.8 * (dropoff % 5) + rng.normal(0, 2, RIDES)
    features = [{"PU_DO": f"{p}_{d}", "trip_distance": float(x)} for p, d, x in zip(pickup, dropoff, distance)]
    return features, duration


def sklearn_models():
    from sklearn.ensemble import ExtraTreesRegressor, GradientBoostingRegressor, RandomForestRegressor
    from sklearn.linear_model import ElasticNet, Lasso, LinearRegression, Ridge
    from sklearn.tree import DecisionTreeRegressor, ExtraTreeRegressor

    # name: (estimator, sparse DictVectorizer, as a Pipeline rather than the course's tuple, rides fitted on)
    # A dense exact least-squares solve is cubic in the columns, so that one sees fewer rides (fewer pairs).
    return {
        "linear": (LinearRegression(), True, False),
        "linear-dense": (LinearRegression(), False, False, 600),
        "ridge": (Ridge(alpha=0.5), True, True),
        "lasso": (Lasso(alpha=0.001, max_iter=5000), True, True),
        "elasticnet": (ElasticNet(alpha=0.001, l1_ratio=0.3, max_iter=5000), False, True),
        "tree": (DecisionTreeRegressor(max_depth=12, random_state=1), True, False),
        "extra-tree": (ExtraTreeRegressor(max_depth=12, random_state=1), True, True),
        "forest": (RandomForestRegressor(n_estimators=30, max_depth=10, random_state=1), True, True),
        "extra-trees": (ExtraTreesRegressor(n_estimators=30, max_depth=10, max_features=0.3, random_state=1), False, True),
        "boosting": (GradientBoostingRegressor(n_estimators=50, max_depth=4, learning_rate=0.15, random_state=1), True, True),
        "boosting-zero": (GradientBoostingRegressor(n_estimators=40, max_depth=3, init="zero", random_state=1), True, False),
        "boosting-huber": (GradientBoostingRegressor(n_estimators=40, max_depth=3, loss="huber", subsample=0.8, random_state=1), True, True),
    }


def fake_module(name, **functions):
    """A stand-in module so that pickle writes numpy 2's global names; its functions are never called."""
    module = types.ModuleType(name)
    for function_name, function in functions.items():
        function.__module__, function.__qualname__, function.__name__ = name, function_name, function_name
        setattr(module, function_name, function)
    sys.modules[name] = module
    return module


def numpy2_names():
    core = fake_module("numpy._core")
    core.multiarray = fake_module("numpy._core.multiarray", _reconstruct=lambda *a: None, scalar=lambda *a: None)
    core.numeric = fake_module("numpy._core.numeric", _frombuffer=lambda *a: None)
    return {
        np.core.multiarray._reconstruct: core.multiarray._reconstruct,
        np.core.multiarray.scalar: core.multiarray.scalar,
        np.core.numeric._frombuffer: core.numeric._frombuffer,
    }


class LayoutPickler(pickle.Pickler):
    """Writes a fitted model in the layout a newer sklearn or numpy would write, without needing that version."""

    def __init__(self, stream, protocol, layouts):
        super().__init__(stream, protocol=protocol)
        self.protocol = protocol
        self.layouts = layouts
        self.renames = numpy2_names() if "numpy2" in layouts else {}

    def reducer_override(self, obj):
        from sklearn._loss.loss import HalfSquaredError
        from sklearn.ensemble import GradientBoostingRegressor
        from sklearn.tree._tree import Tree

        if "sk13" in self.layouts and isinstance(obj, Tree):
            cls, args, state = obj.__reduce__()
            return cls, args, dict(state, nodes=with_missing_go_to_left(state["nodes"]))
        if "sk14" in self.layouts and isinstance(obj, GradientBoostingRegressor):
            state = dict(obj.__getstate__())
            state.pop("loss_", None)
            state.pop("_loss", None)
            state["_loss"] = HalfSquaredError()
            return copyreg.__newobj__, (type(obj),), state
        if self.renames and isinstance(obj, (np.ndarray, np.generic)) and not isinstance(obj, np.dtype):
            reduced = obj.__reduce_ex__(self.protocol)
            if reduced[0] in self.renames:
                return (self.renames[reduced[0]],) + tuple(reduced[1:])
        return NotImplemented


def with_missing_go_to_left(nodes):
    names = list(nodes.dtype.names)
    formats = [nodes.dtype.fields[n][0] for n in names] + [np.uint8]
    offsets = [nodes.dtype.fields[n][1] for n in names] + [nodes.dtype.itemsize]
    layout = np.dtype({"names": names + ["missing_go_to_left"], "formats": formats, "offsets": offsets,
                       "itemsize": nodes.dtype.itemsize + 8})
    patched = np.zeros(nodes.shape, dtype=layout)
    for name in names:
        patched[name] = nodes[name]
    patched["missing_go_to_left"] = np.arange(len(nodes)) % 2
    return patched


def dump(obj, path, protocol=4, layouts=()):
    with open(path, "wb") as stream:
        LayoutPickler(stream, protocol, set(layouts)).dump(obj)


def fit_sklearn(out):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.pipeline import make_pipeline

    features, duration = training_rides()
    os.makedirs(out, exist_ok=True)
    for name, (model, sparse, pipeline, *rows) in sklearn_models().items():
        x, y = (features[:rows[0]], duration[:rows[0]]) if rows else (features, duration)
        dv = DictVectorizer(sparse=sparse)
        fitted = make_pipeline(dv, model).fit(x, y) if pipeline else (dv, model.fit(dv.fit_transform(x), y))
        dump(fitted, os.path.join(out, f"{name}.pkl"))
        print(name)
        variants = {
            "linear": [("protocol2", 2, ()), ("protocol5", 5, ()), ("numpy2", 4, ("numpy2",)), ("numpy2-protocol5", 5, ("numpy2",))],
            "forest": [("protocol2", 2, ()), ("protocol5", 5, ()), ("sk13", 4, ("sk13",)), ("sk13-numpy2", 4, ("sk13", "numpy2"))],
            "boosting": [("sk14", 4, ("sk13", "sk14")), ("protocol2", 2, ())],
            "tree": [("sk13", 5, ("sk13",))],
        }.get(name, [])
        for layout, protocol, layouts in variants:
            dump(fitted, os.path.join(out, f"{name}@{layout}.pkl"), protocol, layouts)
            print(f"{name}@{layout}")


def fit_xgboost(out):
    import xgboost as xgb
    from sklearn.feature_extraction import DictVectorizer

    features, duration = training_rides()
    os.makedirs(out, exist_ok=True)
    for name, sparse, params in [
        ("xgb", True, {"max_depth": 6, "eta": 0.3}),
        ("xgb-dense", False, {"max_depth": 4, "eta": 0.2, "base_score": 12.5}),
    ]:
        dv = DictVectorizer(sparse=sparse)
        matrix = xgb.DMatrix(dv.fit_transform(features), label=duration)
        booster = xgb.train({"objective": "reg:squarederror", "seed": 1, "nthread": 1, **params}, matrix, num_boost_round=40)
        booster.save_model(os.path.join(out, f"{name}.json"))
        booster.save_model(os.path.join(out, f"{name}.ubj"))
        booster.save_model(os.path.join(out, f"{name}.xgb"))  # XGBoost 1.7: the old binary format
        with open(os.path.join(out, f"{name}.preprocessor.b"), "wb") as stream:
            pickle.dump(dv, stream)
        print(name)


def read_rides(path):
    with open(path, newline="", encoding="utf-8") as stream:
        return [{"PU_DO": f"{row['PULocationID']}_{row['DOLocationID']}", "trip_distance": float(row["trip_distance"])}
                for row in csv.DictReader(stream)]


def predict(model_path, rides_path, preprocessor=None):
    rides = read_rides(rides_path)
    if preprocessor:
        import xgboost as xgb

        booster = xgb.Booster()
        booster.load_model(model_path)
        with open(preprocessor, "rb") as stream:
            dv = pickle.load(stream)
        predictions = booster.predict(xgb.DMatrix(dv.transform(rides)))
    else:
        with open(model_path, "rb") as stream:
            fitted = pickle.load(stream)
        dv, model = (fitted.steps[0][1], fitted.steps[1][1]) if hasattr(fitted, "steps") else fitted
        predictions = model.predict(dv.transform(rides))
    for value in predictions:
        print(repr(float(value)))


class Malicious:
    def __init__(self, target):
        self.target = target

    def __reduce__(self):
        return os.system, (f"touch {self.target}",)


def main(argv):
    command, *args = argv
    if command == "fit-sklearn":
        fit_sklearn(*args)
    elif command == "fit-xgboost":
        fit_xgboost(*args)
    elif command == "predict":
        predict(*args)
    elif command == "malicious":
        with open(args[0], "wb") as stream:
            pickle.dump(Malicious(args[1]), stream, protocol=4)
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
