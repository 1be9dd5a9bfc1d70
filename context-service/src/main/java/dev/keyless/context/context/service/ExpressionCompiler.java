package dev.keyless.context.context.service;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.keyless.problem.Problem.ProblemError;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expression restrictions in Google's CEL: type-checked against the declared job values when written (the
 * result must be a bool), evaluated per job. The variables are qualified names ({@code pipeline.git.branch}),
 * so anything else, pipeline parameters included, is an undeclared reference and rejected.
 */
@ApplicationScoped
public class ExpressionCompiler {

    /** The values an expression may read, with their types and how a job supplies them. */
    static final Map<String, Variable> VARIABLES = variables();

    private static final Pattern PIPELINE_PARAMETERS = Pattern.compile("\\bpipeline\\s*\\.\\s*parameters\\b");
    private static final int CACHE_LIMIT = 10_000;

    private final CelCompiler compiler;
    private final CelRuntime runtime;
    private final Map<String, CelRuntime.Program> programs = new ConcurrentHashMap<>();

    public ExpressionCompiler() {
        var builder = CelCompilerFactory.standardCelCompilerBuilder().setResultType(SimpleType.BOOL);
        VARIABLES.forEach((name, variable) -> builder.addVar(name, variable.type()));
        this.compiler = builder.build();
        this.runtime = CelRuntimeFactory.standardCelRuntimeBuilder().build();
    }

    record Variable(CelType type, Function<JobFacts, Object> value) {}

    private static Map<String, Variable> variables() {
        Map<String, Variable> map = new LinkedHashMap<>();
        map.put("pipeline.id", new Variable(SimpleType.STRING, facts -> text(facts.pipelineId())));
        map.put("pipeline.project.id", new Variable(SimpleType.STRING, facts -> text(facts.projectId())));
        map.put("pipeline.git.branch", new Variable(SimpleType.STRING, JobFacts::branch));
        map.put("pipeline.git.tag", new Variable(SimpleType.STRING, JobFacts::tag));
        map.put("pipeline.git.ref", new Variable(SimpleType.STRING, facts -> text(facts.vcsRef())));
        map.put("pipeline.git.revision", new Variable(SimpleType.STRING, facts -> text(facts.revision())));
        map.put("pipeline.git.vcs_origin", new Variable(SimpleType.STRING, facts -> text(facts.vcsOrigin())));
        map.put("pipeline.trigger_source", new Variable(SimpleType.STRING, facts -> text(facts.triggerSource())));
        map.put("workflow.id", new Variable(SimpleType.STRING, facts -> text(facts.workflowId())));
        map.put("job.name", new Variable(SimpleType.STRING, facts -> text(facts.jobName())));
        map.put("job.ssh.enabled", new Variable(SimpleType.BOOL, JobFacts::sshRerun));
        return Map.copyOf(map);
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    /** Names an expression may use, for error messages and the README. */
    public static List<String> variableNames() {
        return VARIABLES.keySet().stream().sorted().toList();
    }

    /**
     * Checks an expression as it is written.
     *
     * @return the located errors; empty when the expression is a valid boolean expression over job values
     */
    public List<ProblemError> check(String source) {
        Matcher parameters = PIPELINE_PARAMETERS.matcher(source);
        if (parameters.find()) {
            int[] position = lineAndColumn(source, parameters.start());
            return List.of(new ProblemError(
                    position[0],
                    position[1],
                    "pipeline parameters are not allowed in "
                            + "restriction expressions: whoever triggers a pipeline can set them"));
        }
        CelValidationResult result = compiler.compile(source);
        if (!result.hasError()) {
            return List.of();
        }
        return result.getErrors().stream().map(ExpressionCompiler::located).toList();
    }

    private static ProblemError located(CelIssue issue) {
        String message = issue.getMessage();
        if (message.startsWith("undeclared reference")) {
            message = message.replace(" (in container '')", "") + "; the expression may use " + variableNames();
        }
        int line = issue.getSourceLocation().getLine();
        int column = issue.getSourceLocation().getColumn();
        // CEL columns are 0-based; people count from 1
        return new ProblemError(line > 0 ? line : null, line > 0 ? column + 1 : null, message);
    }

    private static int[] lineAndColumn(String source, int offset) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < offset; i++) {
            if (source.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new int[] {line, column};
    }

    /**
     * Evaluates a stored expression for a job.
     *
     * @throws ExpressionFailedException when it no longer compiles or fails at run time (the job is then denied)
     */
    public boolean evaluate(String source, JobFacts facts) {
        CelRuntime.Program program = programs.get(source);
        if (program == null) {
            program = compile(source);
            if (programs.size() >= CACHE_LIMIT) {
                programs.clear();
            }
            programs.put(source, program);
        }
        Map<String, Object> activation = new LinkedHashMap<>();
        VARIABLES.forEach(
                (name, variable) -> activation.put(name, variable.value().apply(facts)));
        try {
            return Boolean.TRUE.equals(program.eval(activation));
        } catch (CelEvaluationException e) {
            throw new ExpressionFailedException();
        }
    }

    private CelRuntime.Program compile(String source) {
        try {
            CelAbstractSyntaxTree ast = compiler.compile(source).getAst();
            return runtime.createProgram(ast);
        } catch (CelValidationException | CelEvaluationException e) {
            throw new ExpressionFailedException();
        }
    }

    /** A stored expression that cannot be evaluated for a job; the context is then denied, never granted. */
    public static final class ExpressionFailedException extends RuntimeException {
        public ExpressionFailedException() {
            super("expression cannot be evaluated", null, false, false);
        }
    }
}
