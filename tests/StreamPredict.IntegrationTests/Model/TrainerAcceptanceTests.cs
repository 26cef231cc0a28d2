using StreamPredict.Model;
using StreamPredict.Model.Artifact;
using StreamPredict.Data.Tlc;
using StreamPredict.Training.Linear;

namespace StreamPredict.IntegrationTests.Model;

/// <summary>The trainer's acceptance figures on the full months; sklearn's own numbers are in the comments.</summary>
public class TrainerAcceptanceTests
{
    [TlcDataFact]
    public void Training_on_2021_01_validates_on_2021_02_at_most_7_797()
    {
        TrainingResult result = Train("green_tripdata_2021-01.filtered.csv.gz", "green_tripdata_2021-02.filtered.csv.gz");

        // sklearn LinearRegression: 7.7587 (its sparse solver stops early; the exact solution does better).
        Assert.InRange(result.ValidationRmse!.Value, 0, 7.797);
        Assert.Equal(73_908, result.Artifact.Training.Rows);
    }

    [TlcDataFact]
    public void Training_on_raw_2023_01_lands_within_half_a_percent_of_sklearn_on_2023_02()
    {
        TrainingResult result = Train("green_tripdata_2023-01.csv.gz", "green_tripdata_2023-02.csv.gz");

        const double Sklearn = 6.0372;
        Assert.InRange(result.ValidationRmse!.Value, Sklearn * 0.995, Sklearn * 1.005);
    }

    [TlcDataFact]
    public void Trained_artifact_carries_its_validation_rmse_through_the_file()
    {
        TrainingResult result = Train("green_tripdata_2021-01.filtered.csv.gz", "green_tripdata_2021-02.filtered.csv.gz");
        byte[] file = ModelArtifactWriter.Write(result.Artifact);
        CompiledModel reloaded = CompiledModel.Load(file);
        TlcDataset validation = TlcDataset.ReadFile(TlcData.File("green_tripdata_2021-02.filtered.csv.gz"));

        Assert.Equal(result.ValidationRmse, result.Artifact.Training.ValidationRmse);
        Assert.Equal(result.ValidationRmse!.Value, LinearRegressionTrainer.Rmse(reloaded, validation.Rows), 12);
    }

    private static TrainingResult Train(string training, string validation) =>
        LinearRegressionTrainer.Train(
            TlcDataset.ReadFile(TlcData.File(training)),
            TlcDataset.ReadFile(TlcData.File(validation)));
}
