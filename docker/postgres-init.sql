-- One database per hub of docker-compose.yml. The postgres image runs this once,
-- as POSTGRES_USER (hubnet), when the postgres-data volume is empty; a hub added
-- later needs its CREATE DATABASE run by hand (docker compose exec postgres psql).
CREATE DATABASE hub_eu;
CREATE DATABASE hub_nl;
CREATE DATABASE hub_den_bosch;
