using System.Text;
using StreamPredict.Model;
using StreamPredict.Model.Formats.Mlflow;

namespace StreamPredict.Tests.Model.Formats;

public class MlmodelFileTests
{
    [Fact]
    public void The_course_mlmodel_names_the_sklearn_pickle_and_the_run()
    {
        MlflowModel model = MlflowModel.Read(File.ReadAllBytes(ModelTestFiles.TestData("course-model/MLmodel")));

        Assert.Equal(new MlflowModel(MlflowFlavor.Sklearn, "model.pkl", "e1efc53e9bd149078b0c12aeaa6365df", "1.0.2"), model);
    }

    [Fact]
    public void Newer_mlmodel_files_with_nested_env_signatures_lists_and_folded_strings_read_the_same_keys()
    {
        const string Text = """
            # written by MLflow 2.9
            artifact_path: model
            flavors:
              python_function:
                env:
                  conda: conda.yaml
                  virtualenv: python_env.yaml
                loader_module: mlflow.sklearn
                model_path: model.pkl
                predict_fn: predict
                python_version: 3.10.12
              sklearn:
                code: null
                pickled_model: "model.pkl"
                serialization_format: cloudpickle
                sklearn_version: 1.5.1   # the version that fitted it
            metadata:
            - a list item
            - key: nested under a list item
              pickled_model: ignored.pkl
            mlflow_version: 2.9.2
            model_size_bytes: 436237
            run_id: 'abc''123'
            signature:
              inputs: '[{"type": "string", "name": "PU_DO", "required": true}, {"type": "double",
                "name": "trip_distance", "required": true}]'
              outputs: null
            notes: |
              run_id: not-this-one
            utc_time_created: '2024-08-01 10:00:00.000000'
            """;

        MlmodelFile file = MlmodelFile.Parse(Encoding.UTF8.GetBytes(Text));

        Assert.Equal(new MlflowModel(MlflowFlavor.Sklearn, "model.pkl", "abc'123", "1.5.1"), MlflowModel.Read(Encoding.UTF8.GetBytes(Text)));
        Assert.Equal("""[{"type": "string", "name": "PU_DO", "required": true}, {"type": "double", "name": "trip_distance", "required": true}]""",
            file.Get("signature", "inputs"));
        Assert.Null(file.Get("signature", "outputs"));
        Assert.Equal("conda.yaml", file.Get("flavors", "python_function", "env", "conda"));
        Assert.Equal(["python_function", "sklearn"], file.Keys("flavors"));
    }

    [Theory]
    [InlineData("flavors:\n  python_function:\n    loader_module: mlflow.sklearn\n    model_path: m.pkl\n", "Sklearn", "m.pkl")]
    [InlineData("flavors:\n  python_function:\n    loader_module: mlflow.xgboost\n    data: model.xgb\n", "Xgboost", "model.xgb")]
    [InlineData("flavors:\n  xgboost:\n    data: model.json\n    xgb_version: 2.0.3\n", "Xgboost", "model.json")]
    public void The_data_file_comes_from_the_flavour_or_the_python_function_loader(string text, string flavor, string data)
    {
        MlflowModel model = MlflowModel.Read(Encoding.UTF8.GetBytes(text));

        Assert.Equal(flavor, model.Flavor.ToString());
        Assert.Equal(data, model.DataPath);
    }

    [Theory]
    [InlineData("run_id: x\n", "MLmodel has no flavors")]
    [InlineData("flavors:\n  pytorch:\n    model_data: data\n", "flavours pytorch")]
    [InlineData("flavors:\n  sklearn:\n    pickled_model: model.skops\n    serialization_format: skops\n", "serialized as 'skops'")]
    [InlineData("flavors:\n\tsklearn: {}\n", "MLmodel line 2: indented with a tab")]
    [InlineData("flavors:\n  sklearn\n", "MLmodel line 2: expected 'key: value'")]
    [InlineData("flavors:\n  sklearn:\n    pickled_model: 'model.pkl\n", "unterminated quoted value")]
    public void What_cannot_be_read_is_refused_with_the_reason(string text, string expected)
    {
        var error = Assert.Throws<ModelLoadException>(() => MlflowModel.Read(Encoding.UTF8.GetBytes(text)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
