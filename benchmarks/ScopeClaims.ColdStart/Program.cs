// The smallest .NET console app: the floor under the cold start of `scopeclaims issue`.
Console.WriteLine("Hello, World!");
