using BenchmarkDotNet.Running;
using StreamPredict.Benchmarks;

// `-- train TRAIN.csv.gz VALIDATION.csv.gz` times one cold training run (the trainer's wall-time acceptance);
// anything else but mlnet-coldstart goes to BenchmarkDotNet.
if (args is ["train", ..])
{
    return TrainOnce.Run(args[1..]);
}

// `-- mlnet-coldstart [RUNS]` times loading ML.NET's model against loading ours, each in fresh processes.
if (args is ["mlnet-coldstart", ..])
{
    return MlNetColdStart.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(TrainOnce).Assembly).Run(args);
return 0;
