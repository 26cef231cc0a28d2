using System.CommandLine;
using StreamPredict.Aws.Configuration;
using StreamPredict.Aws.S3;
using StreamPredict.Batch;
using StreamPredict.Cli.Commands;
using StreamPredict.Cli.Infrastructure;
using StreamPredict.Data.Tlc;
using StreamPredict.Model;
using StreamPredict.Serving.Models;

namespace StreamPredict.Cli.Scoring;

/// <summary>
/// `score`: the course's batch job. One file (--input/--output), one month in the course's layout
/// (--taxi-type/--year/--month with --input-root/--output-root), or a backfill (--from/--to, --parallel N).
/// </summary>
internal static class ScoreCommand
{
    public static Command Create(CliContext context)
    {
        var input = new Option<string?>("--input") { Description = "A TLC file to score: a path or s3://bucket/key; parquet, CSV or csv.gz." };
        var output = new Option<string?>("--output")
        {
            Description = "Where the predictions go: a .parquet path, s3://bucket/key, or postgresql://user:pass@host:port/db (table ride_duration_predictions).",
        };
        var inputRoot = new Option<string?>("--input-root") { Description = "Course layout: the folder or s3:// prefix holding {taxi}_tripdata_{YYYY}-{MM}.parquet." };
        var outputRoot = new Option<string?>("--output-root") { Description = "Course layout: the folder or s3:// prefix for taxi_type={taxi}/year={YYYY}/month={MM}/{run_id}.parquet." };
        var taxiType = new Option<string?>("--taxi-type") { Description = "green or yellow (with --input: checked against the file's columns)." };
        var year = new Option<int?>("--year") { Description = "The year of the trips scored (not of the run date; see the README)." };
        var month = new Option<int?>("--month") { Description = "The month of the trips scored, 1..12." };
        var from = new Option<string?>("--from") { Description = "Backfill: the first month, YYYY-MM." };
        var to = new Option<string?>("--to") { Description = "Backfill: the last month, YYYY-MM (included)." };
        var parallel = new Option<int>("--parallel") { Description = "Backfill: months scored at once.", DefaultValueFactory = _ => 2 };
        var model = new Option<string?>("--model") { Description = "The model: a model.json, a folder holding one, or s3://bucket/key (default: the function's MODEL_* / RUN_ID variables)." };
        var runId = new Option<string?>("--run-id") { Description = "The run id written as model_version and in the output name (default: the model's version); with MODEL_BUCKET it also picks the model." };
        var json = CommandActions.JsonOption();
        var command = new Command("score", "Score a month of TLC trips with the model: the course's batch job (score.py), with a backfill.")
        {
            input, output, inputRoot, outputRoot, taxiType, year, month, from, to, parallel, model, runId, json,
        };
        CommandActions.Set(command, context, async (parse, cancellationToken) =>
        {
            var arguments = new ScoreArguments
            {
                Input = parse.GetValue(input),
                Output = parse.GetValue(output),
                InputRoot = parse.GetValue(inputRoot),
                OutputRoot = parse.GetValue(outputRoot),
                TaxiType = parse.GetValue(taxiType),
                Year = parse.GetValue(year),
                Month = parse.GetValue(month),
                From = parse.GetValue(from),
                To = parse.GetValue(to),
                Parallel = parse.GetValue(parallel),
                Model = parse.GetValue(model),
                RunId = parse.GetValue(runId),
            };
            var plan = arguments.Plan();
            var (compiled, version) = await LoadModelAsync(context, arguments.Model, arguments.RunId, cancellationToken).ConfigureAwait(false);
            var options = new ScoringOptions { OpenS3 = () => new S3ObjectStore(AwsEnvironment.FromEnvironment(context.GetVariable)) };
            if (plan.Months is { } months)
            {
                return await BackfillView.RunAsync(context, plan, months, compiled, version, options, parse.GetValue(json), cancellationToken).ConfigureAwait(false);
            }

            var request = plan.Request(plan.Month, compiled, version);
            var result = await Progress.RunAsync(context, $"score {request.Input.FileName}", 0, async progress =>
                await ScoringJob.RunAsync(request, options with { Progress = new Progress<long>(rows => progress.Report(rows)) }, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
            context.WriteSummary(ScoreSummary.Of(result), parse.GetValue(json));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The model from --model, or from the environment as the function reads it (--run-id standing in for RUN_ID).</summary>
    private static async Task<(CompiledModel Model, string Version)> LoadModelAsync(CliContext context, string? model, string? runId, CancellationToken cancellationToken)
    {
        if (runId is not null)
        {
            TrainCommand.RequireRunId(runId);
        }

        CompiledModel compiled;
        if (model is not null)
        {
            (compiled, _, _) = await ModelFiles.LoadAsync(context, model, "--model", cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var location = ModelLocation.FromEnvironment(name => name == ModelLocation.RunIdVariable && runId is not null ? runId : context.GetVariable(name));
            compiled = await ModelLoader.LoadAsync(location, () => new S3ObjectDownloader(AwsEnvironment.FromEnvironment(context.GetVariable)), cancellationToken).ConfigureAwait(false);
        }

        return (compiled, runId ?? compiled.Version);
    }
}

/// <summary>The options of `score`, checked together: which form was meant, and what each form needs.</summary>
internal sealed record ScoreArguments
{
    public string? Input { get; init; }

    public string? Output { get; init; }

    public string? InputRoot { get; init; }

    public string? OutputRoot { get; init; }

    public string? TaxiType { get; init; }

    public int? Year { get; init; }

    public int? Month { get; init; }

    public string? From { get; init; }

    public string? To { get; init; }

    public int Parallel { get; init; }

    public string? Model { get; init; }

    public string? RunId { get; init; }

    public ScorePlan Plan()
    {
        TlcTaxiType? taxi = null;
        if (TaxiType is not null)
        {
            taxi = TlcTaxiTypes.TryParse(TaxiType, out var parsed) ? parsed : throw new CliException($"--taxi-type '{TaxiType}' is not green or yellow.");
        }

        if ((Year is null) != (Month is null))
        {
            throw new CliException("--year and --month go together: give both, or neither.");
        }

        ScoringMonth? month = null;
        if (Year is { } y && Month is { } m)
        {
            month = y is >= 1900 and <= 9999 && m is >= 1 and <= 12 ? new ScoringMonth(y, m) : throw new CliException($"--year {y} --month {m} is not a month (year 1900..9999, month 1..12).");
        }

        if (Input is not null)
        {
            if (InputRoot is not null || OutputRoot is not null || From is not null || To is not null)
            {
                throw new CliException("--input scores one file: use it with --output, not with --input-root, --output-root, --from or --to.");
            }

            var output = Output ?? throw new CliException("--input needs --output: a .parquet path, s3://bucket/key, or postgresql://… URL.");
            return new ScorePlan(DataLocation.Parse(Input, "--input"), output, taxi, month, null, Parallel);
        }

        var inputRoot = InputRoot ?? throw new CliException(
            "Give --input F --output F to score a file, or --taxi-type T --year Y --month M (or --from/--to) with --input-root R and --output-root O.");
        if (OutputRoot is null == (Output is null))
        {
            throw new CliException("The course layout needs --output-root (a folder or s3:// prefix), or --output postgresql://… for the database; not both.");
        }

        if (Output is not null && !Batch.Postgres.PostgresTarget.IsPostgres(Output))
        {
            throw new CliException($"With --input-root, --output must be a postgresql:// URL; for files use --output-root (got '{Output}').");
        }

        var taxiType = taxi ?? throw new CliException("The course layout needs --taxi-type green or yellow (it is part of the file names).");
        var root = DataLocation.ParseRoot(inputRoot, "--input-root");
        var outRoot = OutputRoot is null ? null : DataLocation.ParseRoot(OutputRoot, "--output-root");
        if (From is not null || To is not null)
        {
            if (month is not null)
            {
                throw new CliException("Give --year/--month for one month, or --from/--to for a backfill; not both.");
            }

            if (From is null || To is null)
            {
                throw new CliException("A backfill needs both --from and --to (YYYY-MM).");
            }

            if (Parallel is < 1 or > 64)
            {
                throw new CliException($"--parallel must be 1..64, got {Parallel}.");
            }

            try
            {
                var months = ScoringMonth.Range(ScoringMonth.Parse(From, "--from"), ScoringMonth.Parse(To, "--to"));
                return new ScorePlan(root, outRoot, Output, taxiType, months, Parallel);
            }
            catch (FormatException exception)
            {
                throw new CliException(exception.Message, exception);
            }
        }

        var single = month ?? throw new CliException("The course layout needs --year and --month (the month of the trips), or --from/--to.");
        return new ScorePlan(root, outRoot, Output, taxiType, [single], Parallel) { SingleMonth = true };
    }
}

/// <summary>What to score: a file, or months of the course's layout.</summary>
internal sealed record ScorePlan
{
    private readonly DataLocation? _input;
    private readonly string? _output;
    private readonly DataLocation? _inputRoot;
    private readonly DataLocation? _outputRoot;
    private readonly string? _database;
    private readonly IReadOnlyList<ScoringMonth>? _months;

    /// <summary>One file.</summary>
    public ScorePlan(DataLocation input, string output, TlcTaxiType? taxiType, ScoringMonth? month, IReadOnlyList<ScoringMonth>? months, int parallel)
    {
        (_input, _output, TaxiType, Month, _months, Parallel) = (input, output, taxiType, month, months, parallel);
    }

    /// <summary>Months in the course's layout.</summary>
    public ScorePlan(DataLocation inputRoot, DataLocation? outputRoot, string? database, TlcTaxiType taxiType, IReadOnlyList<ScoringMonth> months, int parallel)
    {
        (_inputRoot, _outputRoot, _database, TaxiType, _months, Parallel) = (inputRoot, outputRoot, database, taxiType, months, parallel);
        Month = months[0];
    }

    public TlcTaxiType? TaxiType { get; }

    public ScoringMonth? Month { get; }

    public int Parallel { get; }

    public bool SingleMonth { get; init; }

    /// <summary>Months to backfill; null for a single file or month.</summary>
    public IReadOnlyList<ScoringMonth>? Months => SingleMonth ? null : _months;

    public ScoringRequest Request(ScoringMonth? month, CompiledModel model, string runId)
    {
        if (_input is not null)
        {
            return new ScoringRequest { Input = _input, Output = _output!, Model = model, RunId = runId, Month = month, TaxiType = TaxiType };
        }

        var scored = month ?? throw new InvalidOperationException("A course-layout request needs a month.");
        return CourseLayout.Request(_inputRoot!, _outputRoot, _database, TaxiType!.Value, scored, model, runId);
    }
}
