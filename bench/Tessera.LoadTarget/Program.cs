using Tessera.LoadTarget;

// The load benchmark's target (started by bench/Tessera.LoadBench, one process per scenario):
//   dotnet Tessera.LoadTarget.dll --scenario NAME --urls http://127.0.0.1:PORT [--data DIR] [--redis CONFIG] [--background-sessions N]
// Prints "ready" once it takes requests.
// The in-process probe (PipelineProbe.cs): the scenarios' pipelines without sockets, interleaved:
//   dotnet run -c Release --project bench/Tessera.LoadTarget -- --probe none,plumbing-floor,session-memory [ROUNDS]
if (args.Length >= 2 && args[0] == "--probe")
{
    return await PipelineProbe.RunAsync(args[1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 300, Console.Out);
}

TargetOptions options;
try
{
    options = TargetOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine("error: " + ex.Message);
    return 2;
}

WebApplication app = await TargetApp.BuildAsync(options);
await app.StartAsync();
Console.WriteLine("ready");
await app.WaitForShutdownAsync();
return 0;
