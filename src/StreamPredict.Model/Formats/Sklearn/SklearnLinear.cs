using StreamPredict.Model.Artifact;
using StreamPredict.Model.Formats.Numpy;
using StreamPredict.Model.Formats.Pickle;

namespace StreamPredict.Model.Formats.Sklearn;

/// <summary>LinearRegression, Ridge, Lasso and ElasticNet: coef_ (n,) or (1, n) and intercept_ (a number or one element).</summary>
internal static class SklearnLinear
{
    public static EstimatorSpec Read(PickledEstimator model, int columnCount)
    {
        NumpyArray coef = model.Array("coef_");
        bool oneRow = coef.Shape.Length == 1 || (coef.Shape.Length == 2 && coef.Shape[0] == 1);
        if (!oneRow || coef.Length != columnCount)
        {
            throw new ModelLoadException(
                $"{model.Where("coef_")} has shape {coef.ShapeText}; with {columnCount} DictVectorizer columns a single-output model has ({columnCount},)");
        }

        double intercept = model.Get("intercept_") switch
        {
            NumpyArray { Length: not 1 } many => throw new ModelLoadException(
                $"{model.Where("intercept_")} has shape {many.ShapeText}; a single-output model has one intercept"),
            null => throw new ModelLoadException($"{model.Where("intercept_")} is None"),
            _ => model.Number("intercept_"),
        };

        return new EstimatorSpec
        {
            Kind = EstimatorSpec.LinearKind,
            Intercept = intercept,
            Weights = coef.ToDoubles(model.Where("coef_")),
        };
    }

    public static bool IsLinear(PickleObject value) => value.ClassName is "LinearRegression" or "Ridge" or "Lasso" or "ElasticNet";
}
