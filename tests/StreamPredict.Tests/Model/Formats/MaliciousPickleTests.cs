using StreamPredict.Model;
using StreamPredict.Model.Formats;

namespace StreamPredict.Tests.Model.Formats;

/// <summary>
/// A pickle is a program: loading one in Python runs whatever its globals name. Ours names globals only from an
/// allow-list and calls none, so a pickle whose __reduce__ is os.system("touch FILE") is refused by name and FILE
/// never appears.
/// </summary>
public sealed class MaliciousPickleTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("streampredict-malicious-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private string Target => Path.Combine(_work, "pwned");

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void A_hand_written_os_system_pickle_is_refused_and_runs_nothing(int protocol)
    {
        PickleWriter writer = PickleWriter.Protocol(protocol);
        writer = protocol == 2 ? writer.TextGlobal("posix", "system") : writer.Global("posix", "system");
        byte[] pickle = writer.Str($"touch {Target}").Op(0x85).Op('R').Stop().ToArray();

        var error = Assert.Throws<ModelLoadException>(() => ModelFormats.Load(pickle));

        Assert.Contains("the pickle names the global 'posix.system', which is not an allowed class; refusing to load it", error.Message, StringComparison.Ordinal);
        Assert.Contains(protocol == 2 ? "GLOBAL at byte 2" : "STACK_GLOBAL at byte 17", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Target));
    }

    [SklearnFact]
    public async Task A_python_written_os_system_pickle_is_refused_alone_and_inside_an_mlflow_folder()
    {
        string folder = Directory.CreateDirectory(Path.Combine(_work, "model")).FullName;
        string pickle = Path.Combine(folder, "model.pkl");
        PythonModels.Run("malicious", pickle, Target);
        File.Copy(ModelTestFiles.TestData("course-model/MLmodel"), Path.Combine(folder, "MLmodel"));

        var bare = Assert.Throws<ModelLoadException>(() => ModelFormats.Load(File.ReadAllBytes(pickle)));
        var mlflow = await Assert.ThrowsAsync<ModelLoadException>(() => ModelFolder.LoadAsync(ModelFolder.LocalFolder(folder)));

        Assert.Contains("'posix.system'", bare.Message, StringComparison.Ordinal);
        Assert.Contains("'posix.system'", mlflow.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Target));
    }

    [Theory]
    [InlineData("builtins", "eval")]
    [InlineData("builtins", "getattr")]
    [InlineData("subprocess", "Popen")]
    [InlineData("numpy", "load")]
    [InlineData("sklearn.utils", "Bunch")]
    [InlineData("copyreg", "_reconstructor")]
    public void Any_global_outside_the_allow_list_is_refused_when_named(string module, string name)
    {
        // Only named, never called: the refusal comes at the opcode that names it.
        byte[] pickle = PickleWriter.Protocol(4).Global(module, name).Stop().ToArray();

        var error = Assert.Throws<ModelLoadException>(() => ModelFormats.Load(pickle));

        Assert.Contains($"the pickle names the global '{module}.{name}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hostile_step_inside_a_pipeline_is_refused_after_the_allowed_parts()
    {
        byte[] pickle = PickleWriter.Protocol(4)
            .Global("sklearn.pipeline", "Pipeline").Op(')').Op(0x81)
            .Op('}').Str("steps").Op(']').Op('(')
            .Str("dv").Global("sklearn.feature_extraction._dict_vectorizer", "DictVectorizer").Op(')').Op(0x81).Op(0x86)
            .Str("model").Global("builtins", "exec").Str("import os").Op(0x85).Op('R').Op(0x86)
            .Op('e').Op('s').Op('b').Stop().ToArray();

        var error = Assert.Throws<ModelLoadException>(() => ModelFormats.Load(pickle));

        Assert.Contains("'builtins.exec'", error.Message, StringComparison.Ordinal);
    }
}
