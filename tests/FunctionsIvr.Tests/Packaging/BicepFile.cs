using System.Text;
using System.Text.RegularExpressions;

namespace FunctionsIvr.Tests.Packaging;

/// <summary>
/// Just enough of a Bicep reader to check how the files fit together (module paths, parameters passed and
/// declared, outputs used), which compiling alone does not check. Not a parser: it knows comments, strings
/// and bracket nesting, which is all these checks need.
/// </summary>
internal sealed partial class BicepFile
{
    private BicepFile(string path, string code)
    {
        FilePath = path;
        Code = code;
        Parameters = ParameterPattern().Matches(code)
            .ToDictionary(m => m.Groups["name"].Value, m => m.Groups["default"].Success);
        Outputs = OutputPattern().Matches(code).Select(m => m.Groups["name"].Value).ToHashSet();
        Modules = ModulePattern().Matches(code).Select(ReadModule).ToList();
    }

    public string FilePath { get; }

    /// <summary>The file without comments (strings kept as written).</summary>
    public string Code { get; }

    /// <summary>Parameter name -> whether it has a default value.</summary>
    public IReadOnlyDictionary<string, bool> Parameters { get; }

    public IReadOnlySet<string> Outputs { get; }

    public IReadOnlyList<ModuleCall> Modules { get; }

    public static BicepFile Load(string path) => new(path, StripComments(File.ReadAllText(path)));

    /// <summary>The text between the braces that open at <paramref name="openBrace"/>, strings and nesting respected.</summary>
    public static string Block(string code, int openBrace)
    {
        var depth = 0;
        var inString = false;
        for (var i = openBrace; i < code.Length; i++)
        {
            var c = code[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '\'')
                {
                    inString = false;
                }

                continue;
            }

            switch (c)
            {
                case '\'':
                    inString = true;
                    break;
                case '{' or '[' or '(':
                    depth++;
                    break;
                case '}' or ']' or ')':
                    depth--;
                    if (depth == 0)
                    {
                        return code[(openBrace + 1)..i];
                    }

                    break;
            }
        }

        throw new FormatException($"unbalanced brackets after offset {openBrace}");
    }

    /// <summary>Keys of an object body at its own top level (one key per line, as Bicep writes multi-line objects).</summary>
    public static IReadOnlyList<string> TopLevelKeys(string objectBody)
    {
        var keys = new List<string>();
        var depth = 0;
        var inString = false;
        var lineStart = true;
        for (var i = 0; i < objectBody.Length; i++)
        {
            var c = objectBody[i];
            if (lineStart && depth == 0 && !inString)
            {
                var key = KeyPattern().Match(objectBody, i);
                if (key.Success && key.Index == i)
                {
                    keys.Add(key.Groups["key"].Value);
                }
            }

            lineStart = c == '\n';
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '\'')
                {
                    inString = false;
                }

                continue;
            }

            depth += c switch
            {
                '\'' => 0,
                '{' or '[' or '(' => 1,
                '}' or ']' or ')' => -1,
                _ => 0,
            };
            inString = c == '\'';
        }

        return keys;
    }

    private ModuleCall ReadModule(Match module)
    {
        var body = Block(Code, module.Index + module.Length - 1);
        var passed = new List<string>();
        var paramsMatch = ParamsPattern().Match(body);
        if (paramsMatch.Success)
        {
            passed.AddRange(TopLevelKeys(Block(body, paramsMatch.Index + paramsMatch.Length - 1)));
        }

        var target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(FilePath)!, module.Groups["path"].Value));
        return new ModuleCall(module.Groups["symbol"].Value, target, passed);
    }

    private static string StripComments(string text)
    {
        var code = new StringBuilder(text.Length);
        var inString = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                code.Append(c);
                if (c == '\\' && i + 1 < text.Length)
                {
                    code.Append(text[++i]);
                }
                else if (c == '\'')
                {
                    inString = false;
                }
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }

                code.Append('\n');
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? text.Length : end + 1;
            }
            else
            {
                inString = c == '\'';
                code.Append(c);
            }
        }

        return code.ToString();
    }

    [GeneratedRegex(@"^param\s+(?<name>\w+)\s+\w+(?<default>\s*=)?", RegexOptions.Multiline)]
    private static partial Regex ParameterPattern();

    [GeneratedRegex(@"^output\s+(?<name>\w+)\s", RegexOptions.Multiline)]
    private static partial Regex OutputPattern();

    [GeneratedRegex(@"^module\s+(?<symbol>\w+)\s+'(?<path>[^']+)'\s*=\s*(?:if\s*\([^\n]*\)\s*)?\{", RegexOptions.Multiline)]
    private static partial Regex ModulePattern();

    [GeneratedRegex(@"^\s*params\s*:\s*\{", RegexOptions.Multiline)]
    private static partial Regex ParamsPattern();

    [GeneratedRegex(@"[ \t]*'?(?<key>[A-Za-z_][\w-]*)'?[ \t]*:")]
    private static partial Regex KeyPattern();
}

/// <summary>A <c>module</c> declaration: its symbol, the file it points at, the parameters it passes.</summary>
internal sealed record ModuleCall(string Symbol, string TargetPath, IReadOnlyList<string> PassedParameters);
