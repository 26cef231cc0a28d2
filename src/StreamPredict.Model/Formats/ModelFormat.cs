namespace StreamPredict.Model.Formats;

/// <summary>What a model file is, as <see cref="ModelFormats.Detect"/> tells it from its first bytes.</summary>
public enum ModelFormat
{
    /// <summary>Nothing this reader knows.</summary>
    Unknown,

    /// <summary>Our own checksummed JSON artifact, {"schema":"streampredict.model/v1",...}.</summary>
    StreamPredictArtifact,

    /// <summary>A Python pickle of protocol 2 to 5 (a scikit-learn model, or a DictVectorizer).</summary>
    Pickle,

    /// <summary>An XGBoost model saved as JSON (save_model("model.json")).</summary>
    XgboostJson,

    /// <summary>An XGBoost model saved as UBJSON (save_model("model.ubj"); XGBoost 2's default).</summary>
    XgboostUbjson,

    /// <summary>XGBoost's old binary format: recognised so that it can be refused with how to re-save it.</summary>
    XgboostBinary,

    /// <summary>An MLflow MLmodel file: the model is the folder it sits in.</summary>
    MlflowMlmodel,

    /// <summary>An MLflow model folder (MLmodel plus its data file), as loaded by <see cref="ModelFolder"/>.</summary>
    MlflowFolder,
}
