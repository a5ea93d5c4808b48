using System.Reflection;

namespace KmlSim.Tests.DotnetTools;

/// <summary>Where the repository's projects and their build outputs are, seen from the running test assembly.</summary>
internal static class RepositoryLayout
{
    /// <summary>The folder holding KmlSim.sln, found upward from the test assembly.</summary>
    public static string Root
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "KmlSim.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new DirectoryNotFoundException($"no KmlSim.sln above {AppContext.BaseDirectory}");
        }
    }

    /// <summary>
    /// The configuration the tests were built in (Release in CI). The projects the tests reference were built
    /// in the same one, so their outputs can be used without building again.
    /// </summary>
    public static string Configuration =>
        typeof(RepositoryLayout).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration is { Length: > 0 } configuration
            ? configuration
            : throw new InvalidOperationException("the test assembly records no build configuration");
}
