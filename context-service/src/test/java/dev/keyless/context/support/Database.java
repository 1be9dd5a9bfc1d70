package dev.keyless.context.support;

import dev.keyless.testing.TestInfrastructure;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Raw access to context-service's schema, to look at what is really stored. */
public final class Database {

    private Database() {}

    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(TestInfrastructure.jdbcUrl("context"), "postgres", "");
    }

    /** Every row of every table of the schema, as PostgreSQL's text form (bytea as hex). */
    public static List<String> dumpAllRows() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = connect()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = connection.getMetaData().getTables(null, "context", "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            for (String table : tables) {
                try (PreparedStatement statement =
                                connection.prepareStatement("select t::text from context.\"" + table + "\" t");
                        ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        rows.add(table + ": " + rs.getString(1));
                    }
                }
            }
        }
        return rows;
    }

    public static long count(String sql, Object... parameters) throws SQLException {
        try (Connection connection = connect();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
