namespace StreamPredict.Model.Formats.Pickle;

/// <summary>What the pickle machine does with an allowed global. Nothing is ever called: every kind is data.</summary>
internal enum GlobalKind
{
    /// <summary>A class or helper kept as a <see cref="PickleObject"/> (estimators, sklearn's loss objects, random states).</summary>
    Inert,

    /// <summary>numpy.float64 and friends used as values (DictVectorizer's dtype); also builtins.float/int/bool.</summary>
    ScalarType,

    NumpyReconstruct,
    NumpyNdarray,
    NumpyDtype,
    NumpyScalar,
    NumpyFromBuffer,
    CodecsEncode,
    Bytearray,
    Set,
    FrozenSet,
    OrderedDict,
}

/// <summary>
/// The only globals a pickle may name: numpy's array machinery and the scikit-learn 1.0 to 1.5 classes that the models
/// we convert are made of. Anything else (os.system, builtins.eval, subprocess.Popen, ...) is refused when the GLOBAL or
/// STACK_GLOBAL opcode names it, before any argument is read.
/// </summary>
internal static class AllowedGlobals
{
    private static readonly Dictionary<string, GlobalKind> Kinds = Build();

    public static bool TryGet(string module, string name, out PickleGlobal global)
    {
        // Protocol-2 pickles written by Python 3 use Python 2's module names (fix_imports).
        module = module switch
        {
            "__builtin__" => "builtins",
            "copy_reg" => "copyreg",
            _ => module,
        };
        if (Kinds.TryGetValue($"{module}.{name}", out GlobalKind kind))
        {
            global = new PickleGlobal(module, name, kind);
            return true;
        }

        global = null!;
        return false;
    }

    private static Dictionary<string, GlobalKind> Build()
    {
        var kinds = new Dictionary<string, GlobalKind>(StringComparer.Ordinal);
        foreach (string core in (ReadOnlySpan<string>)["numpy.core", "numpy._core"])
        {
            kinds[$"{core}.multiarray._reconstruct"] = GlobalKind.NumpyReconstruct;
            kinds[$"{core}.multiarray.scalar"] = GlobalKind.NumpyScalar;
            kinds[$"{core}.multiarray.dtype"] = GlobalKind.NumpyDtype;
            kinds[$"{core}.numeric._frombuffer"] = GlobalKind.NumpyFromBuffer;
        }

        kinds["numpy.ndarray"] = GlobalKind.NumpyNdarray;
        kinds["numpy.dtype"] = GlobalKind.NumpyDtype;
        foreach (string type in (ReadOnlySpan<string>)["float64", "float32", "float16", "int64", "int32", "int16", "int8",
                     "uint64", "uint32", "uint16", "uint8", "bool_", "intc", "intp", "longlong", "double", "single"])
        {
            kinds[$"numpy.{type}"] = GlobalKind.ScalarType;
        }

        kinds["builtins.float"] = GlobalKind.ScalarType;
        kinds["builtins.int"] = GlobalKind.ScalarType;
        kinds["builtins.bool"] = GlobalKind.ScalarType;
        kinds["builtins.set"] = GlobalKind.Set;
        kinds["builtins.frozenset"] = GlobalKind.FrozenSet;
        kinds["builtins.bytearray"] = GlobalKind.Bytearray;
        kinds["collections.OrderedDict"] = GlobalKind.OrderedDict;
        kinds["_codecs.encode"] = GlobalKind.CodecsEncode;

        // Random states that estimators keep (random_state=RandomState(...), GradientBoosting's _rng): numpy's own
        // pickling helpers, recorded and never run.
        foreach (string name in (ReadOnlySpan<string>)[
                     "numpy.random._pickle.__randomstate_ctor", "numpy.random._pickle.__bit_generator_ctor",
                     "numpy.random._pickle.__generator_ctor", "numpy.random.__RandomState_ctor",
                     "numpy.random.mtrand.RandomState", "numpy.random._generator.Generator",
                     "numpy.random._mt19937.MT19937", "numpy.random._pcg64.PCG64", "numpy.random._pcg64.PCG64DXSM",
                     "numpy.random._philox.Philox", "numpy.random._sfc64.SFC64"])
        {
            kinds[name] = GlobalKind.Inert;
        }

        foreach (string name in (ReadOnlySpan<string>)[
                     "sklearn.pipeline.Pipeline",
                     "sklearn.feature_extraction._dict_vectorizer.DictVectorizer",
                     "sklearn.linear_model._base.LinearRegression",
                     "sklearn.linear_model._ridge.Ridge",
                     "sklearn.linear_model._coordinate_descent.Lasso",
                     "sklearn.linear_model._coordinate_descent.ElasticNet",
                     "sklearn.tree._classes.DecisionTreeRegressor",
                     "sklearn.tree._classes.ExtraTreeRegressor",
                     "sklearn.tree._tree.Tree",
                     "sklearn.ensemble._forest.RandomForestRegressor",
                     "sklearn.ensemble._forest.ExtraTreesRegressor",
                     "sklearn.ensemble._gb.GradientBoostingRegressor",
                     "sklearn.dummy.DummyRegressor",
                     // GradientBoostingRegressor's loss object: sklearn 1.0 to 1.3 ...
                     "sklearn.ensemble._gb_losses.LeastSquaresError",
                     "sklearn.ensemble._gb_losses.LeastAbsoluteError",
                     "sklearn.ensemble._gb_losses.HuberLossFunction",
                     "sklearn.ensemble._gb_losses.QuantileLossFunction",
                     // ... and from 1.4 on, the common loss module with its Cython halves.
                     "sklearn._loss.link.IdentityLink",
                     "sklearn._loss.link.Interval"])
        {
            kinds[name] = GlobalKind.Inert;
        }

        foreach (var (loss, cython) in (ReadOnlySpan<(string, string)>)[
                     ("HalfSquaredError", "CyHalfSquaredError"), ("AbsoluteError", "CyAbsoluteError"),
                     ("HuberLoss", "CyHuberLoss"), ("PinballLoss", "CyPinballLoss")])
        {
            kinds[$"sklearn._loss.loss.{loss}"] = GlobalKind.Inert;
            kinds[$"sklearn._loss._loss.{cython}"] = GlobalKind.Inert;
            kinds[$"sklearn._loss._loss.__pyx_unpickle_{cython}"] = GlobalKind.Inert;
        }

        return kinds;
    }
}
