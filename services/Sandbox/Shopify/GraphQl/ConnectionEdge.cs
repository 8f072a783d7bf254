using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using GraphQLParser.AST;

namespace GrowthOs.Sandbox.Shopify.GraphQl;

public sealed record ConnectionEdge(string Cursor, object Node);
