using KmlSim.Harness;

return CommandLine.Execute(args, Console.Out, Console.Error);
