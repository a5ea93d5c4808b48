using System.CommandLine;

namespace KmlSim.Harness;

/// <summary>
/// "Did you mean" for a misspelt name: a profile parameter, or an unknown option that System.CommandLine
/// took for a guest program (see <see cref="GuestProgramArgument"/>; its own typo corrections only cover
/// tokens it leaves unmatched, and that corrector is not public).
/// </summary>
internal static class Suggestions
{
    /// <summary>The most edits between a misspelt name and one suggested.</summary>
    private const int MaxEdits = 2;

    /// <summary>The message for <paramref name="token"/>, naming the options of <paramref name="command"/> it is close to.</summary>
    public static string UnknownOption(string token, Command command)
    {
        string name = token.Split('=', ':')[0];
        IReadOnlyList<string> close = Closest(name, command.Options.Where(option => !option.Hidden).Select(option => option.Name));
        return close.Count > 0
            ? $"unknown option '{name}': did you mean {string.Join(" or ", close)}?"
            : $"unknown option '{name}'";
    }

    /// <summary>
    /// The <paramref name="candidates"/> <paramref name="name"/> could be a misspelling of (at most two edits,
    /// ignoring case) or an abbreviation of.
    /// </summary>
    public static IReadOnlyList<string> Closest(string name, IEnumerable<string> candidates) => candidates
        .Where(candidate => Distance(name.ToLowerInvariant(), candidate.ToLowerInvariant()) <= MaxEdits || candidate.StartsWith(name, StringComparison.OrdinalIgnoreCase))
        .ToArray();

    /// <summary>The Levenshtein distance: the fewest single-character insertions, deletions and substitutions from <paramref name="a"/> to <paramref name="b"/>.</summary>
    private static int Distance(string a, string b)
    {
        int[] previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            int[] current = new int[b.Length + 1];
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
