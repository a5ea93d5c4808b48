namespace KmlSim.Kernel.Files;

/// <summary>
/// The result of resolving a path: an error, or the directory holding the last component, its name, and
/// the node (null when the last component does not exist yet, which is what a create needs).
/// </summary>
/// <param name="Error">0, or a negated errno (ENOENT for a missing middle component, ENOTDIR, ELOOP...).</param>
/// <param name="Parent">The directory the last component was looked up in.</param>
/// <param name="Name">The last component ("." or ".." when the path ends so; "/" for the root).</param>
/// <param name="Node">The node found, or null when the last component is missing.</param>
/// <param name="TrailingSlash">The path ended in '/', so the last component must be a directory.</param>
internal readonly record struct PathLookup(long Error, DirectoryNode? Parent, string Name, Inode? Node, bool TrailingSlash)
{
    /// <summary>A failed lookup.</summary>
    public static PathLookup Failed(long error) => new(error, null, "", null, false);
}
