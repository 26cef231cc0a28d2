namespace StreamPredict.Model.Formats.Mlflow;

/// <summary>Which of our readers an MLflow model needs.</summary>
internal enum MlflowFlavor
{
    Sklearn,
    Xgboost,
}

/// <summary>
/// What an MLmodel file says about the model beside it: the flavour we read it as, the data file (relative to the
/// folder), the run id and the library version that wrote it. The sklearn flavour names its pickle in pickled_model,
/// the xgboost flavour its model in data; a folder with only python_function is read through its loader_module
/// (mlflow.sklearn with model_path or data, mlflow.xgboost with data).
/// </summary>
internal sealed record MlflowModel(MlflowFlavor Flavor, string DataPath, string? RunId, string? LibraryVersion)
{
    public static MlflowModel Read(ReadOnlySpan<byte> mlmodel)
    {
        MlmodelFile file = MlmodelFile.Parse(mlmodel);
        string? runId = file.Get("run_id");
        if (file.Keys("flavors").Count == 0)
        {
            throw new ModelLoadException("MLmodel has no flavors; is it an MLflow model's MLmodel file?");
        }

        if (file.Get("flavors", "sklearn", "pickled_model") is { } pickle)
        {
            string? format = file.Get("flavors", "sklearn", "serialization_format");
            if (format is not (null or "pickle" or "cloudpickle"))
            {
                throw new ModelLoadException(
                    $"MLmodel: the sklearn flavour is serialized as '{format}'; only pickle and cloudpickle can be read (log the model with serialization_format='cloudpickle')");
            }

            return new MlflowModel(MlflowFlavor.Sklearn, pickle, runId, file.Get("flavors", "sklearn", "sklearn_version"));
        }

        if (file.Get("flavors", "xgboost", "data") is { } booster)
        {
            return new MlflowModel(MlflowFlavor.Xgboost, booster, runId, file.Get("flavors", "xgboost", "xgb_version"));
        }

        string? loader = file.Get("flavors", "python_function", "loader_module");
        string? data = file.Get("flavors", "python_function", "model_path") ?? file.Get("flavors", "python_function", "data");
        return (loader, data) switch
        {
            ("mlflow.sklearn", { } path) => new MlflowModel(MlflowFlavor.Sklearn, path, runId, null),
            ("mlflow.xgboost", { } path) => new MlflowModel(MlflowFlavor.Xgboost, path, runId, null),
            _ => throw new ModelLoadException(
                $"MLmodel: flavours {string.Join(", ", file.Keys("flavors"))} (python_function loader '{loader ?? "none"}'); only the sklearn and xgboost flavours can be read"),
        };
    }
}
