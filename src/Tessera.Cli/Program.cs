using Tessera.Cli;

return await CliApp.RunAsync(args, CliIo.FromConsole());
